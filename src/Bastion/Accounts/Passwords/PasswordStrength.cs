namespace Bastion.Accounts.Passwords;

/// <summary>
/// A rough 0–4 strength score for a strength meter, on the scale zxcvbn made familiar. It estimates brute-force
/// entropy from the character classes used and an "effective length" that discounts repeats ("aaaa"),
/// runs ("abcd", "4321") and a repeated unit ("abcabc"). Dictionary knowledge is the policy's job: a common
/// password or one built on personal information is forced down by <see cref="PasswordPolicy"/>.
/// </summary>
internal static class PasswordStrength
{
    // Upper bounds, in bits, of scores 0 to 3; at or above the last is 4.
    private static readonly double[] ScoreThresholds = [20, 35, 50, 70];

    public static int Score(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var runes = password.EnumerateRunes().Select(r => r.Value).ToArray();
        if (runes.Length == 0)
        {
            return 0;
        }

        var bits = EffectiveLength(runes) * Math.Log2(AlphabetSize(runes));
        var score = 0;
        while (score < ScoreThresholds.Length && bits >= ScoreThresholds[score])
        {
            score++;
        }

        return score;
    }

    private static double EffectiveLength(int[] runes)
    {
        // "abcabcabc" is barely harder than "abc": count the unit once, plus one for choosing to repeat it.
        var period = SmallestPeriod(runes);
        var length = period < runes.Length ? 1.0 : 0.0;
        for (var i = 0; i < period; i++)
        {
            if (i > 0 && runes[i] == runes[i - 1])
            {
                continue;
            }

            var step = i > 0 ? runes[i] - runes[i - 1] : 0;
            var continuesRun = i > 1 && Math.Abs(step) == 1 && step == runes[i - 1] - runes[i - 2];
            length += continuesRun ? 0.1 : 1.0;
        }

        return length;
    }

    private static int SmallestPeriod(int[] runes)
    {
        for (var period = 1; period <= runes.Length / 2; period++)
        {
            if (runes.Length % period == 0 && runes.AsSpan(period).SequenceEqual(runes.AsSpan(0, runes.Length - period)))
            {
                return period;
            }
        }

        return runes.Length;
    }

    private static int AlphabetSize(int[] runes)
    {
        bool lower = false, upper = false, digit = false, symbol = false, other = false;
        foreach (var rune in runes)
        {
            switch (rune)
            {
                case >= 'a' and <= 'z': lower = true; break;
                case >= 'A' and <= 'Z': upper = true; break;
                case >= '0' and <= '9': digit = true; break;
                case < 0x80: symbol = true; break;
                default: other = true; break;
            }
        }

        // Sizes of the printable ASCII classes; anything beyond ASCII adds a conservative 100.
        return (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
    }
}
