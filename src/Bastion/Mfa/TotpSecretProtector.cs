using Bastion.Encryption;

namespace Bastion.Mfa;

/// <summary>
/// Encrypts TOTP secrets for storage with <see cref="FieldCipher"/> (AES-256-GCM, versioned keys), bound to the user
/// they belong to: a secret copied into another user's row does not decrypt. The verifier needs the secret itself,
/// so it cannot be hashed; encryption keeps a database dump from yielding every user's second factor.
/// </summary>
/// <remarks>
/// Confirmed secrets (<c>users.totp_secret</c>) are declared as <see cref="Column"/>, so the re-encryption job rotates
/// them. A pending enrolment's secret lives in the state store for <c>Bastion:Mfa:EnrolmentLifetime</c> only and is
/// not rotated: one begun under a key removed since then has to be started again.
/// </remarks>
public sealed class TotpSecretProtector
{
    /// <summary>Where confirmed secrets are stored, for key rotation and the key report.</summary>
    public static readonly EncryptedColumn Column = new("users", "id", "totp_secret", userId => Context(userId.ToString("N")));

    private readonly FieldCipher _cipher;

    public TotpSecretProtector(FieldCipher cipher)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        _cipher = cipher;
    }

    /// <summary>The value to store for <paramref name="userId"/>'s secret.</summary>
    public string Protect(string userId, ReadOnlySpan<byte> secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return _cipher.Encrypt(Base32.Encode(secret), Context(userId));
    }

    /// <summary>The secret from a value written by <see cref="Protect"/> for the same user.</summary>
    /// <exception cref="FieldDecryptionException">The value is malformed, its key is not configured, or it belongs to another user.</exception>
    public byte[] Unprotect(string userId, string storedValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Base32.Decode(_cipher.Decrypt(storedValue, Context(userId)));
    }

    private static string Context(string userId) => "mfa.totpSecret:" + userId;
}
