using System.Security.Cryptography;

namespace Bastion.Hosting;

/// <summary>
/// Authenticated encryption of secrets at rest (keys in the database): AES-256-GCM under a per-purpose subkey of
/// the master key, output as nonce ‖ ciphertext ‖ tag. The purpose is bound as associated data as well, so a
/// value encrypted for one use cannot be replayed into another column.
/// </summary>
public sealed class SecretBox(MasterKey masterKey)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(masterKey.Derive(purpose), TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), Purpose(purpose));
        return output;
    }

    /// <summary>Decrypts; throws <see cref="CryptographicException"/> when the value was altered or the key differs.</summary>
    public byte[] Decrypt(ReadOnlySpan<byte> sealedValue, string purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed value is too short.");
        }

        var plaintext = new byte[sealedValue.Length - NonceSize - TagSize];
        using var aes = new AesGcm(masterKey.Derive(purpose), TagSize);
        aes.Decrypt(sealedValue[..NonceSize], sealedValue[NonceSize..^TagSize], sealedValue[^TagSize..], plaintext, Purpose(purpose));
        return plaintext;
    }

    private static byte[] Purpose(string purpose) => System.Text.Encoding.UTF8.GetBytes(purpose);
}
