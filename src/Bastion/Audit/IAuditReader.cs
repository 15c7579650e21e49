namespace Bastion.Audit;

/// <summary>Reads the audit log.</summary>
public interface IAuditReader
{
    /// <summary>One page of the entries that match <paramref name="query"/>.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every entry that matches <paramref name="query"/>, streamed from the database (the page size is ignored).</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
