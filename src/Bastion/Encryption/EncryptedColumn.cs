namespace Bastion.Encryption;

/// <summary>
/// A column whose values <see cref="FieldCipher"/> wrote, declared with <c>AddEncryptedColumn</c> by the capability
/// or host that owns it, so that key rotation (the re-encryption job), the key-version report and the start-up check
/// reach every encrypted value: a column that is not declared would keep its old key version and break when that key
/// is removed.
/// </summary>
/// <remarks>
/// The table's key is a GUID (every Bastion table's is), which pages the job through the table in key order.
/// Names are SQL identifiers written into statements, so only lower-case snake_case names are accepted.
/// </remarks>
public sealed class EncryptedColumn
{
    /// <param name="table">The table, e.g. <c>users</c>.</param>
    /// <param name="keyColumn">Its GUID key, e.g. <c>id</c>.</param>
    /// <param name="ciphertextColumn">The column holding <c>v{n}:…</c> values; nulls are skipped.</param>
    /// <param name="context">The associated data a row's value was encrypted with, from the row's key; the same function the owner uses.</param>
    /// <param name="blindIndex">The blind index computed from the same plaintext, when there is one.</param>
    public EncryptedColumn(string table, string keyColumn, string ciphertextColumn, Func<Guid, string> context, BlindIndexColumn? blindIndex = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        Table = SqlIdentifier.Require(table, nameof(table));
        KeyColumn = SqlIdentifier.Require(keyColumn, nameof(keyColumn));
        CiphertextColumn = SqlIdentifier.Require(ciphertextColumn, nameof(ciphertextColumn));
        Context = context;
        if (blindIndex is not null)
        {
            SqlIdentifier.Require(blindIndex.Column, nameof(blindIndex));
            ArgumentException.ThrowIfNullOrEmpty(blindIndex.Purpose, nameof(blindIndex));
        }

        BlindIndex = blindIndex;
    }

    public string Table { get; }

    public string KeyColumn { get; }

    public string CiphertextColumn { get; }

    public Func<Guid, string> Context { get; }

    public BlindIndexColumn? BlindIndex { get; }

    /// <summary><c>table.column</c>, as reports and messages name it.</summary>
    public string Name => Table + "." + CiphertextColumn;
}
