namespace Bastion.Encryption;

/// <summary>What one run of the re-encryption job did, column by column.</summary>
internal sealed record ReEncryptionReport(int KeyVersion, int BlindIndexVersion, IReadOnlyList<ColumnReEncryption> Columns)
{
    public long ReEncrypted => Columns.Sum(c => c.ReEncrypted);

    public long ReIndexed => Columns.Sum(c => c.ReIndexed);

    public long Conflicts => Columns.Sum(c => c.Conflicts);

    public long Unreadable => Columns.Sum(c => c.Unreadable);
}
