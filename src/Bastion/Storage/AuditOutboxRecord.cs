using Microsoft.EntityFrameworkCore;

namespace Bastion.Storage;

/// <summary>
/// An audit entry written in the transaction of the change it records, waiting to be chained (table
/// <c>audit_outbox</c>, created by the audit component's migrations). Add one through <c>IAuditLog.Stage</c>, never
/// directly: the entry is sanitised and redacted there.
/// </summary>
public sealed class AuditOutboxRecord
{
    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required string Type { get; set; }
    public required string Severity { get; set; }
    public required string Outcome { get; set; }
    public Guid? UserId { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public string? Resource { get; set; }
    public string? Action { get; set; }
    public string? EntityType { get; set; }
    public string? EntityId { get; set; }
    public string? RequestId { get; set; }
    public string? Changes { get; set; }
    public string? Details { get; set; }

    /// <summary>Maps the outbox table in a context that writes audited changes; call before the column conventions.</summary>
    public static void Map(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<AuditOutboxRecord>(entry =>
        {
            entry.ToTable("audit_outbox");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Id).ValueGeneratedOnAdd();
        });
    }
}
