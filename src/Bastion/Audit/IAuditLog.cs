using Microsoft.EntityFrameworkCore;

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

    /// <summary>
    /// Adds <paramref name="auditEvent"/> to <paramref name="db"/>'s pending changes, for an event that records a change
    /// made through that context: the entry commits with the context's next <c>SaveChanges</c> (inside its transaction,
    /// when there is one) and only then, so there is never a committed change without its entry nor an entry for a
    /// change that rolled back. Once the commit is done the entry is chained before <c>SaveChanges</c> (or the
    /// transaction's commit) returns; if the chain cannot be written just then, the entry waits durably for the next
    /// pass. The context must map <c>AuditOutboxRecord</c> and use Bastion's database options.
    /// </summary>
    /// <exception cref="ArgumentException">The event type is not snake_case, or changes/details are too large.</exception>
    void Stage(DbContext db, AuditEvent auditEvent);
}
