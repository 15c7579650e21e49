namespace Bastion.Storage;

/// <summary>A role; a higher <see cref="Rank"/> sits higher in the hierarchy.</summary>
public sealed class Role
{
    public required string Name { get; set; }
    public int Rank { get; set; }
    public required string Description { get; set; }
}

/// <summary>The many-to-many link between users and roles.</summary>
public sealed class UserRole
{
    public Guid UserId { get; set; }
    public required string RoleName { get; set; }
}

/// <summary>The default roles, highest first.</summary>
public static class Roles
{
    public const string SuperAdmin = "super_admin";
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Operator = "operator";
    public const string Viewer = "viewer";

    /// <summary>Self-registered accounts start here.</summary>
    public const string Default = Viewer;

    public static IReadOnlyList<string> All { get; } = [SuperAdmin, Admin, Manager, Operator, Viewer];
}
