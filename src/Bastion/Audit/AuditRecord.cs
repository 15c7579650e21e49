namespace Bastion.Audit;

/// <summary>
/// A stored audit entry exactly as it is in the <c>audit_log</c> table: the event after sanitising and redaction,
/// its place in the chain (<see cref="Seq"/>) and the hashes that link it to the entry before (see <c>AuditHash</c>).
/// </summary>
public sealed record AuditRecord
{
    /// <summary>Position in the chain: 1, 2, 3… without gaps.</summary>
    public long Seq { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public required string Type { get; init; }

    /// <summary><c>info</c>, <c>warning</c> or <c>critical</c>.</summary>
    public required string Severity { get; init; }

    /// <summary><c>success</c>, <c>failure</c> or <c>denied</c>.</summary>
    public required string Outcome { get; init; }

    public Guid? UserId { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }

    public string? Resource { get; init; }

    public string? Action { get; init; }

    public string? EntityType { get; init; }

    public string? EntityId { get; init; }

    public string? RequestId { get; init; }

    /// <summary>The changes as a JSON object <c>{"field": {"old": …, "new": …}}</c>, or null.</summary>
    public string? ChangesJson { get; init; }

    /// <summary>The details as a JSON object, or null.</summary>
    public string? DetailsJson { get; init; }

    /// <summary>The hash of the entry before (64 zeros for the first).</summary>
    public string PrevHash { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 over <see cref="PrevHash"/> and this entry's canonical form.</summary>
    public string Hash { get; init; } = "";
}
