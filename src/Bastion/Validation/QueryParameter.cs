using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Bastion.Validation;

/// <summary>
/// One query-string parameter of an endpoint handler with a parsed type (a number, a GUID, a date, a flag), its
/// bounds declared as <see cref="RangeAttribute"/> on the parameter.
/// </summary>
internal sealed class QueryParameter
{
    private static readonly HashSet<Type> Integers = [typeof(int), typeof(long), typeof(short), typeof(byte), typeof(uint), typeof(ulong), typeof(ushort), typeof(sbyte)];
    private static readonly HashSet<Type> Reals = [typeof(double), typeof(float), typeof(decimal)];

    private QueryParameter(string name, Type type, bool optional, RangeAttribute? range)
    {
        Name = name;
        Type = type;
        Optional = optional;
        Range = range;
    }

    public string Name { get; }

    /// <summary>The parameter's type without <see cref="Nullable{T}"/>.</summary>
    public Type Type { get; }

    public bool Optional { get; }

    public RangeAttribute? Range { get; }

    public bool IsNumber => Integers.Contains(Type) || Reals.Contains(Type);

    /// <summary>
    /// The handler parameters bound from the query string, as minimal APIs bind them: a simple type that names no
    /// route value and carries no other binding source.
    /// </summary>
    public static IReadOnlyList<QueryParameter> Of(MethodInfo handler, RoutePattern? route)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var parameters = new List<QueryParameter>();
        foreach (var parameter in handler.GetParameters())
        {
            var attributes = parameter.GetCustomAttributes(inherit: true);
            var fromQuery = attributes.OfType<IFromQueryMetadata>().FirstOrDefault();
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (!IsParsed(type) || attributes.Any(a => a is IFromRouteMetadata or IFromHeaderMetadata or IFromFormMetadata or IFromBodyMetadata or IFromServiceMetadata))
            {
                continue;
            }

            var name = fromQuery?.Name ?? parameter.Name!;
            if (fromQuery is null && route?.GetParameter(name) is not null)
            {
                continue;
            }

            var optional = parameter.HasDefaultValue || type != parameter.ParameterType;
            parameters.Add(new QueryParameter(name, type, optional, attributes.OfType<RangeAttribute>().FirstOrDefault()));
        }

        return parameters;
    }

    /// <summary>The message for <paramref name="text"/>, or null when it is a valid value.</summary>
    public string? Check(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            // Minimal APIs read an empty value of an optional parameter as absent.
            return Optional ? null : $"{Name} is required.";
        }

        if (!TryParse(text, out var value))
        {
            return Integers.Contains(Type) ? $"{Name} must be a whole number{Bounds()}."
                : Reals.Contains(Type) ? $"{Name} must be a finite number{Bounds()}."
                : $"{Name} is not a valid {Describe(Type)}.";
        }

        return Range is null || InRange(value) ? null : $"{Name} must be{Bounds()}.";
    }

    private bool InRange(object value)
    {
        try
        {
            return Range!.IsValid(value);
        }
        catch (OverflowException)
        {
            // A bound declared in a wider type than the parameter's; the value cannot lie within it.
            return false;
        }
    }

    private string Bounds() => Range is null ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $" between {Range.Minimum} and {Range.Maximum}");

    private bool TryParse(string text, out object value)
    {
        const NumberStyles integer = NumberStyles.Integer;
        const NumberStyles real = NumberStyles.Float;
        var invariant = CultureInfo.InvariantCulture;
        (bool Ok, object Value) result = Type switch
        {
            _ when Type == typeof(int) => (int.TryParse(text, integer, invariant, out var v), v),
            _ when Type == typeof(long) => (long.TryParse(text, integer, invariant, out var v), v),
            _ when Type == typeof(short) => (short.TryParse(text, integer, invariant, out var v), v),
            _ when Type == typeof(byte) => (byte.TryParse(text, integer, invariant, out var v), v),
            _ when Type == typeof(uint) => (uint.TryParse(text, integer, invariant, out var v), v),
            _ when Type == typeof(ulong) => (ulong.TryParse(text, integer, invariant, out var v), v),
            _ when Type == typeof(ushort) => (ushort.TryParse(text, integer, invariant, out var v), v),
            _ when Type == typeof(sbyte) => (sbyte.TryParse(text, integer, invariant, out var v), v),

            // NaN and the infinities parse but bound nothing and compare false with everything.
            _ when Type == typeof(double) => (double.TryParse(text, real, invariant, out var v) && double.IsFinite(v), v),
            _ when Type == typeof(float) => (float.TryParse(text, real, invariant, out var v) && float.IsFinite(v), v),
            _ when Type == typeof(decimal) => (decimal.TryParse(text, real, invariant, out var v), v),
            _ when Type == typeof(bool) => (bool.TryParse(text, out var v), v),
            _ when Type == typeof(Guid) => (Guid.TryParse(text, out var v), v),
            _ when Type == typeof(DateTimeOffset) => (DateTimeOffset.TryParse(text, invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces, out var v), v),
            _ when Type == typeof(DateTime) => (DateTime.TryParse(text, invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces, out var v), v),
            _ => (Enum.TryParse(Type, text, ignoreCase: true, out var v) && Enum.IsDefined(Type, v!), v!),
        };
        value = result.Value;
        return result.Ok;
    }

    private static bool IsParsed(Type type)
        => Integers.Contains(type) || Reals.Contains(type) || type.IsEnum
        || type == typeof(bool) || type == typeof(Guid) || type == typeof(DateTimeOffset) || type == typeof(DateTime);

    private static string Describe(Type type)
        => type == typeof(bool) ? "true or false" : type == typeof(Guid) ? "identifier" : type.IsEnum ? "choice" : "date and time";
}
