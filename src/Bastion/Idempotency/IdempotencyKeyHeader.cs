namespace Bastion.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> request header (draft-ietf-httpapi-idempotency-key-header): a Structured Fields string
/// (<c>"…"</c>) or, as many clients send it, the bare text. 1 to 255 visible ASCII characters.
/// </summary>
internal static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";

    /// <summary>Set on a response that repeats the stored answer to an earlier request with the same key.</summary>
    public const string ReplayedName = "Idempotent-Replayed";

    public const int MaxLength = 255;

    /// <summary>The key, or null when the header is absent; false when it is present but malformed.</summary>
    public static bool TryRead(string? value, out string? key)
    {
        key = null;
        if (value is null)
        {
            return true;
        }

        var text = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        if (text.Length is 0 or > MaxLength || text.Any(c => c is < '!' or > '~') || (value != text && text.Contains('"', StringComparison.Ordinal)))
        {
            return false;
        }

        key = text;
        return true;
    }
}
