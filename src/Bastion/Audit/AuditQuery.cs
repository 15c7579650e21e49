namespace Bastion.Audit;

/// <summary>
/// Which entries to read: every filter that is set must match. Paging is by keyset on <c>seq</c>: pass the previous
/// page's <see cref="AuditPage.NextCursor"/> as <see cref="Cursor"/>; unlike offsets, pages stay stable while new
/// entries arrive and cost the same at any depth.
/// </summary>
public sealed record AuditQuery
{
    public const int MaxPageSize = 200;

    public string? Type { get; init; }

    public Guid? UserId { get; init; }

    /// <summary>Entries that occurred at or after this moment.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Entries that occurred before this moment.</summary>
    public DateTimeOffset? To { get; init; }

    public string? EntityType { get; init; }

    /// <summary>Used together with <see cref="EntityType"/>.</summary>
    public string? EntityId { get; init; }

    public AuditOutcome? Outcome { get; init; }

    /// <summary>Continue after the entry with this seq (in the direction of <see cref="NewestFirst"/>).</summary>
    public long? Cursor { get; init; }

    /// <summary>Entries per page, 1 to <see cref="MaxPageSize"/>; larger values are capped. Exports ignore it.</summary>
    public int PageSize { get; init; } = 50;

    public bool NewestFirst { get; init; } = true;
}
