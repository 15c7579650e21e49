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

    /// <summary>The confirmed TOTP secret, encrypted (<see cref="Mfa.TotpSecretProtector"/>); null when TOTP is off.</summary>
    public string? TotpSecret { get; set; }

    /// <summary>Whether a code e-mailed to the verified address is accepted as the second factor.</summary>
    public bool EmailMfaEnabled { get; set; }

    /// <summary>The unused recovery codes, keyed hashes (<see cref="Mfa.RecoveryCodes"/>); null when none were issued.</summary>
    public string? RecoveryCodes { get; set; }

    /// <summary>When a second factor was first turned on; null while the account has none.</summary>
    public DateTimeOffset? MfaEnabledAt { get; set; }

    /// <summary>When the user proved they receive mail at <see cref="Email"/>; null until then.</summary>
    public DateTimeOffset? EmailVerifiedAt { get; set; }

    /// <summary>An address the user asked to move to; it replaces <see cref="Email"/> when the link sent there is opened.</summary>
    public string? PendingEmail { get; set; }

    /// <summary>True when signing in takes a second factor.</summary>
    public bool MfaEnabled => TotpSecret is not null || EmailMfaEnabled;

    public List<UserRole> Roles { get; } = [];
}

/// <summary>The account states a user can be in.</summary>
public static class UserStatus
{
    public const string Active = "active";
    public const string PendingApproval = "pending_approval";
    public const string Disabled = "disabled";
}
