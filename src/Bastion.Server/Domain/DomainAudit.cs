using Bastion.Audit;

namespace Bastion.Server.Domain;

/// <summary>Audit entries for the sample data: who read or changed which record, and which fields changed how.</summary>
internal static class DomainAudit
{
    private static readonly string[] Concealed = ["serialNumber", "cost", "notes"];

    public static AuditEvent Access(HttpContext context, string entityType, Guid? id, string action = "read")
        => context.AuditEvent(AuditEventTypes.DataAccess) with { EntityType = entityType, EntityId = id?.ToString(), Action = action };

    public static AuditEvent Modification(
        HttpContext context, string entityType, Guid id, string action,
        IReadOnlyDictionary<string, object?>? before, IReadOnlyDictionary<string, object?>? after)
        => context.AuditEvent(AuditEventTypes.DataModification) with
        {
            EntityType = entityType,
            EntityId = id.ToString(),
            Action = action,
            Changes = after is null ? null : HttpAudit.Diff(before ?? new Dictionary<string, object?>(), after, Concealed),
        };
}
