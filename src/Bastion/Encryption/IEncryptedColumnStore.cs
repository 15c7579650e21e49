using Bastion.Audit;

namespace Bastion.Encryption;

/// <summary>Where the re-encryption job reads and rewrites the values of an <see cref="EncryptedColumn"/>.</summary>
internal interface IEncryptedColumnStore
{
    /// <summary>Up to <paramref name="limit"/> non-null values with a key after <paramref name="after"/>, in key order (keyset paging).</summary>
    Task<IReadOnlyList<EncryptedValue>> ReadAsync(EncryptedColumn column, Guid? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="values"/> in one transaction, each only where the row still holds the old value, with
    /// the audit entry <paramref name="audit"/> builds from what was written; returns what was written.
    /// </summary>
    Task<IReadOnlyList<RenewedValue>> WriteAsync(
        EncryptedColumn column, IReadOnlyList<RenewedValue> values, Func<IReadOnlyList<RenewedValue>, AuditEvent> audit, CancellationToken cancellationToken);

    /// <summary>The key versions of the column's ciphertexts (and of its blind index, when it has one), counted.</summary>
    Task<(KeyVersionUsage Ciphertexts, KeyVersionUsage? Index)> UsageAsync(EncryptedColumn column, CancellationToken cancellationToken);
}
