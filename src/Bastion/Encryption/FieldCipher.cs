using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Bastion.Encryption;

/// <summary>
/// Encrypts single fields at rest with AES-256-GCM under versioned keys from <c>Bastion:Encryption</c>. A stored
/// value reads <c>v{version}:{base64(nonce ‖ ciphertext ‖ tag)}</c>, so it names the key that opens it and keys
/// can be rotated row by row. The caller's context (e.g. <c>equipment.serialNumber:{id}</c>) is bound as
/// associated data: a value copied into another field or row does not decrypt.
/// </summary>
/// <remarks>Thread-safe; register as a singleton.</remarks>
public sealed class FieldCipher
{
    // NIST SP 800-38D §8.2.2: a random 96-bit IV per encryption; §8.3 caps a key at 2^32 such encryptions,
    // and rotation to a new version starts the count afresh.
    private const int NonceSize = 12;

    // NIST SP 800-38D §5.2.1.2 and Appendix C: the full 128-bit tag, since shorter tags make forgery easier.
    private const int TagSize = 16;

    private const int StackLimit = 1024;

    // Strict UTF-8: a string with a lone surrogate fails loudly instead of being stored as U+FFFD, which would
    // silently change the value.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<int, byte[]> _keys = [];
    private readonly byte[] _currentKey;
    private readonly string _prefix;

    public FieldCipher(IOptions<FieldEncryptionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        foreach (var (name, value) in settings.Keys)
        {
            var key = KeyVersion.TryParse(name, out var version) ? Convert.FromBase64String(value) : [];
            if (key.Length != 32)
            {
                throw new InvalidOperationException($"{FieldEncryptionOptions.SectionName}:Keys:{name} is not a valid key version and 32-byte key.");
            }

            _keys.Add(version, key);
        }

        _currentKey = _keys.GetValueOrDefault(settings.CurrentVersion)
            ?? throw new InvalidOperationException($"{FieldEncryptionOptions.SectionName}:CurrentVersion {settings.CurrentVersion} is not in {FieldEncryptionOptions.SectionName}:Keys.");
        CurrentVersion = settings.CurrentVersion;
        _prefix = $"v{CurrentVersion}:";
    }

    /// <summary>The key version new values are encrypted under.</summary>
    public int CurrentVersion { get; }

    /// <summary>Whether a key for <paramref name="version"/> is configured, so that values under it can be read.</summary>
    public bool HasVersion(int version) => _keys.ContainsKey(version);

    /// <summary>Encrypts <paramref name="plaintext"/> under the current key, bound to <paramref name="context"/>.</summary>
    /// <remarks>Each call draws a fresh nonce, so equal plaintexts give different values; use <see cref="BlindIndex"/> to search.</remarks>
    public string Encrypt(string plaintext, string context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(context);
        var associatedLength = Utf8.GetByteCount(context);
        var plainLength = Utf8.GetByteCount(plaintext);
        var sealedLength = NonceSize + plainLength + TagSize;
        var total = associatedLength + plainLength + sealedLength;
        var rented = total > StackLimit ? ArrayPool<byte>.Shared.Rent(total) : null;
        var buffer = rented is null ? stackalloc byte[total] : rented.AsSpan(0, total);
        try
        {
            var associated = buffer[..associatedLength];
            var plain = buffer.Slice(associatedLength, plainLength);
            var sealedValue = buffer[(associatedLength + plainLength)..];
            Utf8.GetBytes(context, associated);
            Utf8.GetBytes(plaintext, plain);
            var nonce = sealedValue[..NonceSize];
            RandomNumberGenerator.Fill(nonce);
            using (var aes = new AesGcm(_currentKey, TagSize))
            {
                aes.Encrypt(nonce, plain, sealedValue.Slice(NonceSize, plainLength), sealedValue[^TagSize..], associated);
            }

            return Format(_prefix, sealedValue);
        }
        finally
        {
            // The plaintext bytes must not linger in a pooled or stack buffer.
            CryptographicOperations.ZeroMemory(buffer);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Decrypts a value written by <see cref="Encrypt"/> under any configured key version.</summary>
    /// <exception cref="FieldDecryptionException">The value is malformed, its key version is not configured, or it does not authenticate under <paramref name="context"/>.</exception>
    public string Decrypt(string value, string context)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(context);
        var version = ReadVersion(value, context, out var payload);
        var key = _keys.GetValueOrDefault(version) ?? throw FieldDecryptionException.UnknownKeyVersion(context, version);

        var associatedLength = Utf8.GetByteCount(context);
        var maxSealed = payload.Length / 4 * 3;
        if (maxSealed < NonceSize + TagSize)
        {
            throw FieldDecryptionException.Malformed(context);
        }

        var total = associatedLength + maxSealed + maxSealed - NonceSize - TagSize;
        var rented = total > StackLimit ? ArrayPool<byte>.Shared.Rent(total) : null;
        var buffer = rented is null ? stackalloc byte[total] : rented.AsSpan(0, total);
        try
        {
            var associated = buffer[..associatedLength];
            Utf8.GetBytes(context, associated);
            var sealedBuffer = buffer.Slice(associatedLength, maxSealed);
            if (!Convert.TryFromBase64Chars(payload, sealedBuffer, out var sealedLength) || sealedLength < NonceSize + TagSize)
            {
                throw FieldDecryptionException.Malformed(context);
            }

            var sealedValue = sealedBuffer[..sealedLength];
            var plain = buffer.Slice(associatedLength + maxSealed, sealedLength - NonceSize - TagSize);
            try
            {
                using var aes = new AesGcm(key, TagSize);
                aes.Decrypt(sealedValue[..NonceSize], sealedValue[NonceSize..^TagSize], sealedValue[^TagSize..], plain, associated);
            }
            catch (CryptographicException exception)
            {
                throw FieldDecryptionException.NotAuthentic(context, version, exception);
            }

            return Utf8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The key version a stored value was encrypted under.</summary>
    /// <exception cref="FieldDecryptionException">The value is not of the form <c>v{version}:…</c>.</exception>
    public static int VersionOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ReadVersion(value, context: null, out _);
    }

    /// <summary>True when a stored value was encrypted under a version other than <see cref="CurrentVersion"/>.</summary>
    public bool NeedsReEncryption(string value) => VersionOf(value) != CurrentVersion;

    /// <summary>
    /// The value re-encrypted under the current key when it was written under another version, otherwise the value
    /// itself. The old value is decrypted and authenticated first, so nothing is re-encrypted that was not intact.
    /// </summary>
    /// <exception cref="FieldDecryptionException">The value could not be decrypted; it must then be left as it is.</exception>
    public string ReEncrypt(string value, string context)
        => NeedsReEncryption(value) ? Encrypt(Decrypt(value, context), context) : value;

    private static int ReadVersion(string value, string? context, out ReadOnlySpan<char> payload)
    {
        // "v" + at most nine digits + ":".
        var colon = value.AsSpan(0, Math.Min(value.Length, 11)).IndexOf(':');
        if (colon < 2 || value[0] != 'v' || !KeyVersion.TryParse(value.AsSpan(1, colon - 1), out var version))
        {
            throw FieldDecryptionException.Malformed(context);
        }

        payload = value.AsSpan(colon + 1);
        return version;
    }

    private static string Format(string prefix, ReadOnlySpan<byte> sealedValue)
    {
        var length = prefix.Length + ((sealedValue.Length + 2) / 3 * 4);
        var rented = length > StackLimit ? ArrayPool<char>.Shared.Rent(length) : null;
        var chars = rented is null ? stackalloc char[length] : rented.AsSpan(0, length);
        prefix.CopyTo(chars);
        Convert.TryToBase64Chars(sealedValue, chars[prefix.Length..], out _);
        var result = new string(chars);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return result;
    }
}
