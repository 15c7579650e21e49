namespace Bastion.Encryption;

/// <summary>Which key versions are in use, column by column, against the versions configured.</summary>
internal sealed record EncryptionStatus(
    int KeyVersion, IReadOnlyList<int> ConfiguredKeyVersions, int BlindIndexVersion, IReadOnlyList<int> ConfiguredBlindIndexVersions,
    IReadOnlyList<EncryptedColumnStatus> Columns)
{
    /// <summary>True when every value is under the current key and index versions: older keys may then be removed.</summary>
    public bool Current => Columns.All(c => c.KeyVersions.Versions.Keys.All(v => v == KeyVersion)
        && (c.BlindIndexVersions is null || c.BlindIndexVersions.Versions.Keys.All(v => v == BlindIndexVersion)));

    /// <summary>Key versions the database uses that are not configured, with the columns and counts that use them.</summary>
    public IReadOnlyList<MissingKeyVersion> Missing =>
    [
        .. Columns.SelectMany(c => c.KeyVersions.Versions.Where(v => !ConfiguredKeyVersions.Contains(v.Key))
            .Select(v => new MissingKeyVersion("Keys", v.Key, c.Column, v.Value))),
        .. Columns.Where(c => c.BlindIndexVersions is not null).SelectMany(c => c.BlindIndexVersions!.Versions.Where(v => !ConfiguredBlindIndexVersions.Contains(v.Key))
            .Select(v => new MissingKeyVersion("BlindIndexKeys", v.Key, c.BlindIndexColumn!, v.Value))),
    ];
}
