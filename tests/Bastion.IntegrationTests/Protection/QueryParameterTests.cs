using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Bastion.Validation;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Bastion.IntegrationTests.Protection;

/// <summary>
/// Every query parameter of every endpoint the running host maps (read from its <see cref="EndpointDataSource"/>, so a
/// new endpoint cannot be left out) against hostile numbers: never a 500, and a 400 <c>validation_failed</c> naming
/// the parameter whenever the value is not a number of its type within its declared range.
/// </summary>
public sealed class QueryParameterTests : HostWithActors
{
    private static readonly string[] Hostile =
    [
        "2147483647", "-2147483648", "-1", "0", "1", "1e99", "99999999999999999999", "NaN", "1;DROP", string.Empty,
    ];

    private static readonly HashSet<Type> Integers = [typeof(int), typeof(long), typeof(short), typeof(byte), typeof(uint), typeof(ulong), typeof(ushort), typeof(sbyte)];
    private static readonly HashSet<Type> Reals = [typeof(double), typeof(float), typeof(decimal)];

    [Fact]
    public async Task EveryEndpoint_HostileNumbersInEveryQueryParameter_NeverFailAndOutOfRangeIs400()
    {
        await SeedRowsAsync();
        var endpoints = QueryEndpoints().ToList();
        Assert.Contains(endpoints, e => e.Path == "/api/equipment/" && e.Parameters.Any(p => p.Name == "page"));
        Assert.Contains(endpoints, e => e.Path == "/api/reports/" && e.Parameters.Any(p => p.Name == "page"));
        Assert.Contains(endpoints, e => e.Path == "/api/admin/users/" && e.Parameters.Any(p => p.Name == "page"));

        var failures = new List<string>();
        foreach (var (method, path, parameters) in endpoints)
        {
            foreach (var parameter in parameters)
            {
                foreach (var value in Hostile.Concat(Boundaries(parameter)))
                {
                    var url = $"{path}?{parameter.Name}={Uri.EscapeDataString(value)}";
                    using var request = new HttpRequestMessage(new HttpMethod(method), url);
                    using var response = await Actors.Root.Http.SendAsync(request);
                    var verdict = await JudgeAsync(response, parameter, value);
                    if (verdict is not null)
                    {
                        failures.Add($"{method} {url}: {verdict}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void EveryNumericQueryParameter_DeclaresItsRange()
    {
        var unbounded = QueryEndpoints()
            .SelectMany(e => e.Parameters.Where(p => IsNumber(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType) && p.GetCustomAttribute<RangeAttribute>() is null).Select(p => $"{e.Method} {e.Path} {p.Name}"))
            .ToList();

        Assert.True(unbounded.Count == 0, "Numeric query parameters without [Range]: " + string.Join(", ", unbounded));
    }

    [Theory]
    [InlineData("/api/equipment")]
    [InlineData("/api/reports")]
    [InlineData("/api/admin/users")]
    public async Task List_AtTheLastPage_AnswersAnEmptyPageAndBeyondItIs400(string path)
    {
        await SeedRowsAsync();

        var last = await Actors.Root.Http.GetAsync($"{path}?page={Paging.MaxPage}&pageSize=100");
        var body = await TestClient.ExpectAsync(last, HttpStatusCode.OK);
        Assert.Equal(0, body.GetProperty("items").GetArrayLength());

        var beyond = await Actors.Root.Http.GetAsync($"{path}?page={Paging.MaxPage + 1}");
        var problem = await TestClient.ExpectProblemAsync(beyond, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("page", out _));
    }

    private async Task SeedRowsAsync()
    {
        await TestClient.ExpectAsync(await Actors.Root.Http.PostAsJsonAsync("/api/equipment", new { name = "Walker", serialNumber = $"SN-{Guid.NewGuid():N}"[..16].ToUpperInvariant(), cost = 5m }), HttpStatusCode.Created);
        await TestClient.ExpectAsync(await Actors.Root.Http.PostAsJsonAsync("/api/reports", new { documentTitle = "Walker", documentReference = $"DOC-{Guid.NewGuid():N}"[..12].ToUpperInvariant(), projectReference = "PRJ-1", clientName = "Walker Ltd." }), HttpStatusCode.Created);
    }

    /// <summary>Null when the answer is right for <paramref name="value"/> in <paramref name="parameter"/>, else why not.</summary>
    private static async Task<string?> JudgeAsync(HttpResponseMessage response, ParameterInfo parameter, string value)
    {
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500)
        {
            return $"answered {(int)response.StatusCode}: {text}";
        }

        var named = response.StatusCode == HttpStatusCode.BadRequest && NamesParameter(text, parameter.Name!);
        var valid = IsValid(parameter, value);
        if (valid is false && !named)
        {
            return $"expected 400 validation_failed naming {parameter.Name}, got {(int)response.StatusCode}: {text}";
        }

        return valid is true && named ? $"refused a valid value: {text}" : null;
    }

    private static bool NamesParameter(string text, string name)
    {
        try
        {
            var body = JsonDocument.Parse(text).RootElement;
            return body.TryGetProperty("code", out var code) && code.GetString() == "validation_failed"
                && body.TryGetProperty("errors", out var errors) && errors.TryGetProperty(name, out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether the value should be accepted; null when the test judges only that it does not fail (not a number).</summary>
    private static bool? IsValid(ParameterInfo parameter, string value)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (!IsNumber(type))
        {
            return null;
        }

        if (value.Length == 0)
        {
            return true;
        }

        if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            || (Integers.Contains(type) && (number != decimal.Truncate(number) || value.Contains('e', StringComparison.OrdinalIgnoreCase) || value.Contains('.', StringComparison.Ordinal))))
        {
            return false;
        }

        var (min, max) = Limits(parameter);
        return number >= min && number <= max;
    }

    private static (decimal Min, decimal Max) Limits(ParameterInfo parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var range = parameter.GetCustomAttribute<RangeAttribute>()!;
        var min = Convert.ToDecimal(range.Minimum, CultureInfo.InvariantCulture);
        var max = Convert.ToDecimal(range.Maximum, CultureInfo.InvariantCulture);
        var typeMin = Convert.ToDecimal(type.GetField("MinValue")!.GetValue(null), CultureInfo.InvariantCulture);
        var typeMax = Convert.ToDecimal(type.GetField("MaxValue")!.GetValue(null), CultureInfo.InvariantCulture);
        return (Math.Max(min, typeMin), Math.Min(max, typeMax));
    }

    /// <summary>Each numeric parameter's declared bounds and the values just outside them.</summary>
    private static IEnumerable<string> Boundaries(ParameterInfo parameter)
    {
        if (!IsNumber(Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType) || parameter.GetCustomAttribute<RangeAttribute>() is null)
        {
            return [];
        }

        var (min, max) = Limits(parameter);
        return new[] { min - 1, min, max, max + 1 }.Select(n => n.ToString(CultureInfo.InvariantCulture));
    }

    private static bool IsNumber(Type type) => Integers.Contains(type) || Reals.Contains(type);

    /// <summary>Each mapped handler with the parameters minimal APIs bind from the query string.</summary>
    private IEnumerable<(string Method, string Path, IReadOnlyList<ParameterInfo> Parameters)> QueryEndpoints()
    {
        var source = Host.Services.GetRequiredService<EndpointDataSource>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
            {
                continue;
            }

            var parameters = handler.GetParameters().Where(p => FromQuery(p, endpoint)).ToList();
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods[0] ?? "GET";
            yield return (method, Path(endpoint), parameters);
        }
    }

    private static bool FromQuery(ParameterInfo parameter, RouteEndpoint endpoint)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var simple = type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(TimeSpan);
        var elsewhere = parameter.GetCustomAttributes().Any(a => a is IFromRouteMetadata or IFromBodyMetadata or IFromHeaderMetadata or IFromFormMetadata or IFromServiceMetadata);
        return simple && !elsewhere && endpoint.RoutePattern.GetParameter(parameter.Name!) is null;
    }

    /// <summary>The route with each parameter filled by a value its constraint accepts.</summary>
    private static string Path(RouteEndpoint endpoint)
    {
        var segments = endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "ip" } => "203.0.113.9",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "name" } => "viewer",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => Guid.NewGuid().ToString(),
            _ => string.Empty,
        })));
        var path = "/" + string.Join('/', segments);
        return endpoint.RoutePattern.RawText?.EndsWith('/') == true ? path + "/" : path;
    }
}
