using System.Globalization;
using System.Text;

namespace Bastion.Validation;

/// <summary>
/// Full-name rules (seed UserRegistrationSchema.validate_full_name): 2–100 characters of letters, marks, spaces
/// and the punctuation names use (' - .). Control, format and bidirectional-override characters are refused:
/// they hide or reorder text when the name is shown to administrators.
/// </summary>
public static class PersonName
{
    public const int MinLength = 2;
    public const int MaxLength = 100;

    /// <summary>Trims, applies NFC and collapses runs of spaces.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length);
        foreach (var part in name.Trim().Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(part);
        }

        return builder.ToString();
    }

    /// <summary>Returns null when the (normalised) name is acceptable, otherwise the reason.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Full name is required.";
        }

        var normalized = Normalize(name);
        if (normalized.Length is < MinLength or > MaxLength)
        {
            return $"Full name must be {MinLength}–{MaxLength} characters.";
        }

        foreach (var rune in normalized.EnumerateRunes())
        {
            if (!IsAllowed(rune))
            {
                return "Full name may contain only letters, spaces, apostrophes, hyphens and periods.";
            }
        }

        return Rune.IsLetter(normalized.EnumerateRunes().First()) ? null : "Full name must start with a letter.";
    }

    private static bool IsAllowed(Rune rune)
    {
        if (Rune.IsLetter(rune))
        {
            return true;
        }

        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            || rune.Value is ' ' or '\'' or '-' or '.' or '\u2019';
    }
}
