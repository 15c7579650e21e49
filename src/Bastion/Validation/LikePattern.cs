namespace Bastion.Validation;

/// <summary>
/// Search text as a SQL LIKE pattern passed as a parameter: lower-cased, with the wildcards <c>%</c> and <c>_</c>
/// and the escape character itself escaped (use <c>\</c> as the escape character), so they match literally.
/// </summary>
public static class LikePattern
{
    public const string EscapeCharacter = "\\";

    public static string Contains(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = text.Trim().ToLowerInvariant()
            .Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
        return "%" + escaped + "%";
    }
}
