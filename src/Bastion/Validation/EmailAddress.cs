using System.Text;
using System.Text.RegularExpressions;

namespace Bastion.Validation;

/// <summary>
/// E-mail address rules. Addresses must be ASCII (internationalised domains in their xn-- form): Unicode
/// look-alikes (a Cyrillic 'а' for a Latin 'a') would otherwise let two visually identical accounts exist.
/// The normalised form — trimmed and lower-cased — is the unique lookup key, so case never splits an account.
/// </summary>
public static partial class EmailAddress
{
    // RFC 5321 §4.5.3.1: 64 octets for the local part, 254 for a usable path.
    private const int MaxLength = 254;
    private const int MaxLocalLength = 64;

    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    /// <summary>Returns null when <paramref name="email"/> is acceptable, otherwise the reason.</summary>
    public static string? Validate(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "E-mail is required.";
        }

        var trimmed = email.Trim();
        if (trimmed.Length > MaxLength)
        {
            return $"E-mail must be at most {MaxLength} characters.";
        }

        if (!Ascii.IsValid(trimmed))
        {
            return "E-mail must use ASCII characters only (write an internationalised domain in its xn-- form).";
        }

        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at > MaxLocalLength || !Pattern().IsMatch(trimmed))
        {
            return "E-mail is not a valid address.";
        }

        return null;
    }

    // A pragmatic subset of RFC 5322 addr-spec: dot-atom local part, hostname labels, a TLD of letters or xn--.
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Pattern();
}
