using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Bastion.Encryption;

/// <summary>
/// A keyed blind index for exact search on an encrypted field: HMAC-SHA256 (RFC 2104) under a versioned index key
/// over <c>purpose ‖ 0x00 ‖ value</c>, as base64url without padding. Store it in an indexed column beside the
/// ciphertext, write <see cref="Compute"/> and search by <see cref="Candidates"/> of the search term.
/// </summary>
/// <remarks>
/// The index matches byte-for-byte, so normalise the value before calling (for a serial number, say, trim and
/// upper-case it), and the same way when writing and when searching. The purpose (e.g. <c>equipment.serialNumber</c>)
/// keeps the indexes of different fields apart. A keyed MAC, not a plain hash, so that someone with the database
/// but not the key cannot test guesses against it (OWASP Cryptographic Storage Cheat Sheet); equal values still
/// give equal index values, which is what makes the search work and what it reveals.
/// Version 1 (<c>Bastion:Encryption:BlindIndexKey</c>) writes the bare MAC, as before versions existed; a later
/// version <c>n</c> writes <c>i{n}:</c> before it, so a stored value names its key like a ciphertext does and the
/// re-encryption job can tell which ones to recompute.
/// </remarks>
public sealed class BlindIndex
{
    /// <summary>The length of a version-1 index value: 32 bytes of HMAC-SHA256 in base64url.</summary>
    public const int Length = 43;

    private const int StackLimit = 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<int, byte[]> _keys = [];
    private readonly int[] _versions;

    public BlindIndex(IOptions<FieldEncryptionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        foreach (var (name, value) in settings.AllBlindIndexKeys)
        {
            var key = KeyVersion.TryParse(name, out var version) ? Convert.FromBase64String(value) : [];
            if (key.Length < 32)
            {
                throw new InvalidOperationException($"{FieldEncryptionOptions.SectionName}:BlindIndexKey must be at least 32 bytes in base64.");
            }

            _keys.Add(version, key);
        }

        if (!_keys.ContainsKey(settings.BlindIndexCurrentVersion))
        {
            throw new InvalidOperationException($"{FieldEncryptionOptions.SectionName}:BlindIndexCurrentVersion {settings.BlindIndexCurrentVersion} has no key.");
        }

        CurrentVersion = settings.BlindIndexCurrentVersion;
        _versions = [CurrentVersion, .. _keys.Keys.Where(v => v != CurrentVersion).OrderDescending()];
    }

    /// <summary>The index version new index values are computed under.</summary>
    public int CurrentVersion { get; }

    /// <summary>Whether a key for index <paramref name="version"/> is configured.</summary>
    public bool HasVersion(int version) => _keys.ContainsKey(version);

    /// <summary>
    /// The values <paramref name="value"/> may be stored under, one per configured index version, the current one
    /// first: search with all of them (<c>IN</c>), so that rows not yet re-indexed after a key rotation are found.
    /// </summary>
    public IReadOnlyList<string> Candidates(string value, string purpose) => [.. _versions.Select(version => Compute(value, purpose, version))];

    /// <summary>The index version a stored index value was computed under, or null when it is not an index value.</summary>
    public static int? VersionOf(string indexValue)
    {
        ArgumentNullException.ThrowIfNull(indexValue);
        if (indexValue.Length == Length && !indexValue.Contains(':', StringComparison.Ordinal))
        {
            return 1;
        }

        var colon = indexValue.AsSpan(0, Math.Min(indexValue.Length, 11)).IndexOf(':');
        return colon >= 2 && indexValue[0] == 'i' && KeyVersion.TryParse(indexValue.AsSpan(1, colon - 1), out var version) ? version : null;
    }

    /// <summary>The index value of <paramref name="value"/>, already normalised by the caller, for <paramref name="purpose"/>.</summary>
    public string Compute(string value, string purpose) => Compute(value, purpose, CurrentVersion);

    private string Compute(string value, string purpose, int version)
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
            HMACSHA256.HashData(_keys[version], message, mac);
            var index = Base64Url.EncodeToString(mac);
            return version == 1 ? index : string.Create(CultureInfo.InvariantCulture, $"i{version}:{index}");
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
