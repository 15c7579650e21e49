using Bastion.Encryption;

namespace Bastion.Mfa;

/// <summary>
/// Encrypts TOTP secrets for storage with <see cref="FieldCipher"/> (AES-256-GCM, versioned keys), bound to the user
/// they belong to: a secret copied into another user's row does not decrypt. The verifier needs the secret itself,
/// so it cannot be hashed; encryption keeps a database dump from yielding every user's second factor.
/// </summary>
/// <remarks>Stored values take part in <see cref="FieldCipher"/> key rotation like any other encrypted field.</remarks>
public sealed class TotpSecretProtector
{
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
