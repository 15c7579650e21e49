namespace Bastion.Encryption;

/// <summary>
/// Key versions are positive whole numbers written without leading zeros, so that each version has exactly one
/// spelling, in configuration (<c>Keys:2</c>) and in stored values (<c>v2:</c>) alike.
/// </summary>
internal static class KeyVersion
{
    // Nine digits stay below int.MaxValue, so parsing needs no overflow check.
    private const int MaxDigits = 9;

    public static bool TryParse(ReadOnlySpan<char> text, out int version)
    {
        version = 0;
        if (text.IsEmpty || text.Length > MaxDigits || text[0] == '0')
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                version = 0;
                return false;
            }

            version = (version * 10) + (c - '0');
        }

        return true;
    }
}
