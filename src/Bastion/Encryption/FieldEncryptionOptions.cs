namespace Bastion.Encryption;

/// <summary>Keys for field encryption at rest and the blind index, bound from <c>Bastion:Encryption</c>.</summary>
/// <remarks>
/// Rotation: add a new version under <see cref="Keys"/>, point <see cref="CurrentVersion"/> at it, let the
/// re-encryption job (<c>encryption reencrypt</c>) rewrite every registered column, and remove the old version only
/// when <c>encryption status</c> shows no value under it: a value whose key version is missing cannot be read again,
/// and a node refuses to start while the database holds one. In Development, when nothing is configured, a key set is
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
    /// HMAC-SHA256 key (base64, at least 32 bytes) of blind-index version 1, different from every encryption key.
    /// Later versions go in <see cref="BlindIndexKeys"/>; an index value names the version it was computed under.
    /// </summary>
    public string? BlindIndexKey { get; set; }

    /// <summary>
    /// Further blind-index keys by version (2, 3, …), for rotating the index key: add one, point
    /// <see cref="BlindIndexCurrentVersion"/> at it, run the re-encryption job (it recomputes every index), and remove
    /// the old key once no index value uses it. Searches look under every listed version meanwhile.
    /// </summary>
    public IDictionary<string, string> BlindIndexKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The blind-index version new index values are computed under; 1 (<see cref="BlindIndexKey"/>) unless rotated.</summary>
    public int BlindIndexCurrentVersion { get; set; } = 1;

    /// <summary>The batch size of the re-encryption job: rows read, rewritten and committed together.</summary>
    public int ReEncryptionBatchSize { get; set; } = 500;

    /// <summary>Every blind-index key by version: <see cref="BlindIndexKey"/> as version 1, then <see cref="BlindIndexKeys"/>.</summary>
    internal IEnumerable<KeyValuePair<string, string>> AllBlindIndexKeys
        => BlindIndexKey is null ? BlindIndexKeys : BlindIndexKeys.Prepend(new("1", BlindIndexKey));

    internal bool IsUnset => Keys.Count == 0 && CurrentVersion == 0 && BlindIndexKey is null && BlindIndexKeys.Count == 0;
}
