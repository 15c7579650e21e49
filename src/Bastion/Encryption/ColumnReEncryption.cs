namespace Bastion.Encryption;

/// <summary>What the re-encryption job did to one column.</summary>
/// <param name="Column"><c>table.column</c>.</param>
/// <param name="Examined">Values read.</param>
/// <param name="ReEncrypted">Values rewritten under the current key.</param>
/// <param name="ReIndexed">Blind-index values recomputed under the current index key.</param>
/// <param name="Conflicts">Values changed by someone else between read and write, left to them.</param>
/// <param name="Unreadable">Values that did not decrypt (missing key, altered, malformed), left as they are.</param>
internal sealed record ColumnReEncryption(string Column, long Examined, long ReEncrypted, long ReIndexed, long Conflicts, long Unreadable);
