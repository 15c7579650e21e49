namespace Bastion.Encryption;

/// <summary>Every declared <see cref="EncryptedColumn"/>, once each, in name order.</summary>
internal sealed class EncryptedColumns(IEnumerable<EncryptedColumn> declared)
{
    public IReadOnlyList<EncryptedColumn> All { get; } = [.. declared.DistinctBy(c => c.Name, StringComparer.Ordinal).OrderBy(c => c.Name, StringComparer.Ordinal)];
}
