namespace Bastion.Storage;

/// <summary>An account. Roles are held in <see cref="UserRole"/> rows.</summary>
public sealed class User
{
    public Guid Id { get; set; }
    public required string Email { get; set; }

    /// <summary>The lookup key: trimmed, Unicode-normalised (NFKC) and lower-cased, unique.</summary>
    public required string NormalizedEmail { get; set; }

    public required string FullName { get; set; }
    public required string PasswordHash { get; set; }
    public required string Status { get; set; }
    public string? RequestedRole { get; set; }
    public string? Department { get; set; }

    /// <summary>Changes whenever credentials change; sessions and tokens minted before it are refused.</summary>
    public required string SecurityStamp { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
    public List<UserRole> Roles { get; } = [];
}

/// <summary>The account states a user can be in.</summary>
public static class UserStatus
{
    public const string Active = "active";
    public const string PendingApproval = "pending_approval";
    public const string Disabled = "disabled";
}
