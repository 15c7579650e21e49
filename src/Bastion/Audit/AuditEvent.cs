using System.Text.Json.Nodes;

namespace Bastion.Audit;

/// <summary>
/// Something worth recording: who did what to which record, from where, and how it ended (OWASP Logging Cheat
/// Sheet, "Which events to log" and "Event attributes"; ASVS 5.0 V16.2.1). Text is stored as given, except that
/// control characters are replaced (log injection), long values are cut, and secrets are removed from
/// <see cref="Changes"/>, <see cref="Details"/> and the query of <see cref="Resource"/> (see <c>AuditRedaction</c>).
/// </summary>
/// <param name="Type">A snake_case event type, usually one of <see cref="AuditEventTypes"/>.</param>
public sealed record AuditEvent(string Type)
{
    public AuditSeverity Severity { get; init; } = AuditSeverity.Info;

    public AuditOutcome Outcome { get; init; } = AuditOutcome.Success;

    /// <summary>The acting user, when known (the subject of a failed sign-in is not: it goes in <see cref="Details"/>).</summary>
    public Guid? UserId { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>What was addressed, such as a request path; secret query parameters are redacted.</summary>
    public string? Resource { get; init; }

    /// <summary>The verb, such as <c>update</c> or <c>POST</c>.</summary>
    public string? Action { get; init; }

    /// <summary>The kind of record affected, such as <c>user</c> or <c>equipment</c>.</summary>
    public string? EntityType { get; init; }

    public string? EntityId { get; init; }

    /// <summary>Changed fields with their old and new values; values are serialised as JSON.</summary>
    public IReadOnlyDictionary<string, (object? Old, object? New)>? Changes { get; init; }

    /// <summary>A small JSON object with anything else worth keeping (at most 16 KiB serialised).</summary>
    public JsonObject? Details { get; init; }

    /// <summary>Correlates the entry with the request's logs (<c>HttpContext.TraceIdentifier</c>).</summary>
    public string? RequestId { get; init; }

    /// <summary>When it happened; the writer's clock when not given. Stored with millisecond precision.</summary>
    public DateTimeOffset? OccurredAt { get; init; }
}
