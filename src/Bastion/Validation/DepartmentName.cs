using System.Text.RegularExpressions;

namespace Bastion.Validation;

/// <summary>Department names: 1–50 letters, digits, spaces, '-' or '_', starting with a letter or digit; empty clears.</summary>
public static partial class DepartmentName
{
    public static string? Validate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 || Pattern().IsMatch(value.Trim()) ? null : "Department must be 1–50 letters, digits, spaces, '-' or '_'.";
    }

    [GeneratedRegex(@"^[\p{L}\p{Nd}][\p{L}\p{Nd} _-]{0,49}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Pattern();
}
