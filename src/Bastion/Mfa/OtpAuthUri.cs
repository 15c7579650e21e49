using System.Globalization;

namespace Bastion.Mfa;

/// <summary>
/// <c>otpauth://totp/…</c> URIs in the Key Uri Format that authenticator apps scan
/// (https://github.com/google/google-authenticator/wiki/Key-Uri-Format).
/// </summary>
public static class OtpAuthUri
{
    /// <summary>
    /// <c>otpauth://totp/{issuer}:{account}?secret=…&amp;issuer=…&amp;algorithm=…&amp;digits=…&amp;period=…</c>, with
    /// issuer and account percent-encoded (spaces as %20). The issuer appears both as the label prefix and as the
    /// <c>issuer</c> parameter, as the format recommends, so old and new apps file the entry under the same name.
    /// </summary>
    /// <param name="issuer">The service name shown in the app, e.g. <c>Bastion</c>.</param>
    /// <param name="accountName">The user's account, usually the e-mail address.</param>
    /// <param name="secret">The shared secret, written as unpadded Base32.</param>
    /// <param name="algorithm">The HMAC hash; apps that ignore the parameter use SHA-1.</param>
    /// <param name="digits">Code length, 6 to 8.</param>
    /// <param name="period">Step in seconds; must match the verifier, and <see cref="Totp"/> verifies 30-second steps.</param>
    /// <exception cref="ArgumentException">Issuer or account is empty or contains ':', which the format reserves as the separator.</exception>
    public static string Build(string issuer, string accountName, ReadOnlySpan<byte> secret, TotpAlgorithm algorithm = TotpAlgorithm.Sha1, int digits = 6, int period = Totp.StepSeconds)
    {
        RequireLabelPart(issuer, nameof(issuer));
        RequireLabelPart(accountName, nameof(accountName));
        ArgumentOutOfRangeException.ThrowIfLessThan(secret.Length, Totp.MinimumSecretLength, nameof(secret));
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 6);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 8);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(period);
        var algorithmName = algorithm switch
        {
            TotpAlgorithm.Sha1 => "SHA1",
            TotpAlgorithm.Sha256 => "SHA256",
            TotpAlgorithm.Sha512 => "SHA512",
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown TOTP algorithm."),
        };

        // Uri.EscapeDataString encodes everything but RFC 3986 unreserved characters, including ':', '&', '?', '#',
        // '/' and spaces (as %20, which every app decodes; '+' would be shown literally by some).
        var escapedIssuer = Uri.EscapeDataString(issuer);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"otpauth://totp/{escapedIssuer}:{Uri.EscapeDataString(accountName)}?secret={Base32.Encode(secret)}&issuer={escapedIssuer}&algorithm={algorithmName}&digits={digits}&period={period}");
    }

    private static void RequireLabelPart(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);

        // "Neither issuer nor account name may themselves contain a colon" (Key Uri Format, Label): apps split the
        // decoded label at the first colon, so an encoded one would still move text between issuer and account.
        if (value.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("The issuer and account name may not contain ':'.", name);
        }
    }
}
