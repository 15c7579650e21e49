namespace Bastion.Accounts.Passwords;

/// <summary>Undoes the decorations people add to a weak password to get past composition rules.</summary>
internal static class PasswordVariants
{
    /// <summary>
    /// Candidate base words of a lowercased password: as typed, without trailing symbols ("trustno1!"), without
    /// trailing digits and symbols ("summer2024!"), also without leading ones ("!!summer"), and each of these
    /// with leetspeak undone ("p@ssw0rd"). '1' stands for 'i' or 'l', so both readings are tried.
    /// </summary>
    public static IEnumerable<string> BaseWords(string lowered)
    {
        var withoutTrailingSymbols = TrimEnd(lowered, c => !char.IsLetterOrDigit(c));
        var withoutTrailingDigitsOrSymbols = TrimEnd(lowered, c => !char.IsLetter(c));
        var core = TrimStart(withoutTrailingDigitsOrSymbols, c => !char.IsLetter(c));
        foreach (var form in new[] { lowered, withoutTrailingSymbols, withoutTrailingDigitsOrSymbols, core }.Distinct(StringComparer.Ordinal))
        {
            yield return form;
            yield return Unleet(form, oneAs: 'i');
            yield return Unleet(form, oneAs: 'l');
        }
    }

    /// <summary>Replaces 0→o 1→i|l 3→e 4→a 5→s 7→t @→a $→s in a lowercased string.</summary>
    public static string Unleet(string lowered, char oneAs) => string.Create(lowered.Length, (lowered, oneAs), static (span, state) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = state.lowered[i] switch
            {
                '0' => 'o',
                '1' => state.oneAs,
                '3' => 'e',
                '4' or '@' => 'a',
                '5' or '$' => 's',
                '7' => 't',
                var c => c,
            };
        }
    });

    private static string TrimEnd(string value, Func<char, bool> trim)
    {
        var end = value.Length;
        while (end > 0 && trim(value[end - 1]))
        {
            end--;
        }

        return value[..end];
    }

    private static string TrimStart(string value, Func<char, bool> trim)
    {
        var start = 0;
        while (start < value.Length && trim(value[start]))
        {
            start++;
        }

        return value[start..];
    }
}
