using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Bastion.Encryption;

/// <summary>
/// A keyed blind index for exact search on an encrypted field: HMAC-SHA256 (RFC 2104) under
/// <c>Bastion:Encryption:BlindIndexKey</c> over <c>purpose ‖ 0x00 ‖ value</c>, as base64url without padding.
/// Store it in an indexed column beside the ciphertext and query by <see cref="Compute"/> of the search term.
/// </summary>
/// <remarks>
/// The index matches byte-for-byte, so normalise the value before calling (for a serial number, say, trim and
/// upper-case it), and the same way when writing and when searching. The purpose (e.g. <c>equipment.serialNumber</c>)
/// keeps the indexes of different fields apart. A keyed MAC, not a plain hash, so that someone with the database
/// but not the key cannot test guesses against it (OWASP Cryptographic Storage Cheat Sheet); equal values still
/// give equal index values, which is what makes the search work and what it reveals.
/// </remarks>
public sealed class BlindIndex
{
    /// <summary>The length of every index value: 32 bytes of HMAC-SHA256 in base64url.</summary>
    public const int Length = 43;

    private const int StackLimit = 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _key;

    public BlindIndex(IOptions<FieldEncryptionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.Value.BlindIndexKey is { } key ? Convert.FromBase64String(key) : [];
        if (_key.Length < 32)
        {
            throw new InvalidOperationException($"{FieldEncryptionOptions.SectionName}:BlindIndexKey must be at least 32 bytes in base64.");
        }
    }

    /// <summary>The index value of <paramref name="value"/>, already normalised by the caller, for <paramref name="purpose"/>.</summary>
    public string Compute(string value, string purpose)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        if (purpose.Contains('\0', StringComparison.Ordinal))
        {
            // The separator must not occur in the purpose, or two (purpose, value) pairs could share one input.
            throw new ArgumentException("The purpose may not contain a NUL character.", nameof(purpose));
        }

        var purposeLength = Utf8.GetByteCount(purpose);
        var total = purposeLength + 1 + Utf8.GetByteCount(value);
        var rented = total > StackLimit ? ArrayPool<byte>.Shared.Rent(total) : null;
        var message = rented is null ? stackalloc byte[total] : rented.AsSpan(0, total);
        try
        {
            Utf8.GetBytes(purpose, message);
            message[purposeLength] = 0;
            Utf8.GetBytes(value, message[(purposeLength + 1)..]);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(_key, message, mac);
            return Base64Url.EncodeToString(mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(message);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
