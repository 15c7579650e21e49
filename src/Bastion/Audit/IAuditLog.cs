namespace Bastion.Audit;

/// <summary>Records audit events durably and in a tamper-evident chain.</summary>
public interface IAuditLog
{
    /// <summary>
    /// Records <paramref name="auditEvent"/>. The task completes when the entry is committed to the database, so a
    /// request that awaits it before answering leaves a durable trace; it faults when the database write failed
    /// (nothing of that batch is stored) and the caller decides what to do. Cancelling stops the wait only: an entry
    /// already queued is still written.
    /// </summary>
    /// <exception cref="ArgumentException">The event type is not snake_case, or changes/details are too large.</exception>
    Task WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);
}
