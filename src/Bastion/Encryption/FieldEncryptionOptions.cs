namespace Bastion.Encryption;

/// <summary>Keys for field encryption at rest and the blind index, bound from <c>Bastion:Encryption</c>.</summary>
/// <remarks>
/// Rotation: add a new version under <see cref="Keys"/>, point <see cref="CurrentVersion"/> at it, let the
/// rotation job re-encrypt every row, and remove the old version only when no value uses it any more: a value
/// whose key version is missing cannot be read again. In Development, when nothing is configured, a key set is
/// derived from <c>Bastion:Secrets:MasterKey</c> so that the application runs without setup.
/// </remarks>
public sealed class FieldEncryptionOptions
{
    public const string SectionName = "Bastion:Encryption";

    /// <summary>
    /// AES-256 keys by version: the name is a positive whole number, the value 32 random bytes in base64
    /// (<c>openssl rand -base64 32</c>). New values are encrypted under <see cref="CurrentVersion"/>; every
    /// version listed can still be decrypted.
    /// </summary>
    public IDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The version in <see cref="Keys"/> that new values are encrypted under.</summary>
    public int CurrentVersion { get; set; }

    /// <summary>
    /// HMAC-SHA256 key (base64, at least 32 bytes) for the blind index, different from every encryption key.
    /// Changing it invalidates every stored index value, so it is not rotated with <see cref="Keys"/>.
    /// </summary>
    public string? BlindIndexKey { get; set; }

    internal bool IsUnset => Keys.Count == 0 && CurrentVersion == 0 && BlindIndexKey is null;
}
