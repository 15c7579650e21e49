namespace Bastion.Storage;

/// <summary>A permission: <c>resource:action</c>, optionally limited by a condition (<c>owner_only</c>, …).</summary>
public sealed class Permission
{
    public required string Id { get; set; }
    public required string Resource { get; set; }
    public required string Action { get; set; }

    /// <summary>A registered condition name, optionally with an argument after a colon (<c>department:sales</c>).</summary>
    public string? Condition { get; set; }

    public required string Description { get; set; }
}

/// <summary>The many-to-many link between roles and permissions.</summary>
public sealed class RolePermission
{
    public required string RoleName { get; set; }
    public required string PermissionId { get; set; }
}
