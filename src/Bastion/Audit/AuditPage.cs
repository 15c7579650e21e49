namespace Bastion.Audit;

/// <summary>One page of entries; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, long? NextCursor);
