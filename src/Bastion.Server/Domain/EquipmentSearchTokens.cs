namespace Bastion.Server.Domain;

/// <summary>
/// The query side of PostgreSQL's department-keyed search index (<c>equipment_search_tokens</c>, domain
/// migration 0003): <c>department|trigram</c> for each run of three ASCII letters or digits in the search text.
/// Every record whose name or description contains the text holds all of these tokens, so requiring them narrows a
/// department-limited search to that department's candidates without losing any. Letters beyond ASCII are left
/// out because their case and word-character rules depend on the database's locale; fewer tokens only make the
/// index narrow less.
/// </summary>
public static class EquipmentSearchTokens
{
    // All tokens must match: a handful already single out a few records, and each one more is another index lookup.
    private const int MaxTokens = 12;

    public static string[] For(string department, string text)
    {
        ArgumentNullException.ThrowIfNull(department);
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        for (var i = 0; i + 3 <= text.Length && tokens.Count < MaxTokens; i++)
        {
            if (char.IsAsciiLetterOrDigit(text[i]) && char.IsAsciiLetterOrDigit(text[i + 1]) && char.IsAsciiLetterOrDigit(text[i + 2]))
            {
                var token = department + "|" + text.Substring(i, 3).ToLowerInvariant();
                if (!tokens.Contains(token, StringComparer.Ordinal))
                {
                    tokens.Add(token);
                }
            }
        }

        return [.. tokens];
    }

    /// <summary>
    /// <c>equipment_search_tokens_match(department, name, description, tokens)</c> in PostgreSQL queries (mapped in
    /// <see cref="DomainDbContext"/>): whether the record holds every token. It has no .NET body.
    /// </summary>
    public static bool Match(string? department, string name, string? description, string[] tokens)
        => throw new NotSupportedException("equipment_search_tokens_match is evaluated by PostgreSQL only.");
}
