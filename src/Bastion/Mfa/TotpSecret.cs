using System.Security.Cryptography;

namespace Bastion.Mfa;

/// <summary>New TOTP shared secrets.</summary>
public static class TotpSecret
{
    /// <summary>160 bits, the length RFC 4226 §4 R6 recommends.</summary>
    public const int Length = 20;

    /// <summary>
    /// A new random secret from the operating system's CSPRNG (OWASP ASVS 5.0 §6.5.3). Keep it encrypted at rest with
    /// <see cref="TotpSecretProtector"/>; show it only during enrolment, as a QR code or as <see cref="Base32"/> text.
    /// </summary>
    public static byte[] Generate() => RandomNumberGenerator.GetBytes(Length);
}
