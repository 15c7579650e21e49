namespace Bastion.Storage;

/// <summary>
/// A single-use token sent to a user by e-mail (password reset, address verification), kept as the SHA-256 of its
/// value. It is good only while the user's security stamp is the one it was issued under, so any credential change
/// withdraws it.
/// </summary>
public sealed class AccountToken
{
    public required string TokenHash { get; set; }
    public Guid UserId { get; set; }

    /// <summary>What the token may be used for: one of <see cref="AccountTokenPurpose"/>.</summary>
    public required string Purpose { get; set; }

    /// <summary>The user's <see cref="User.SecurityStamp"/> when the token was issued.</summary>
    public required string SecurityStamp { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>The purposes an <see cref="AccountToken"/> can have.</summary>
public static class AccountTokenPurpose
{
    public const string PasswordReset = "password_reset";
    public const string EmailVerification = "email_verification";
    public const string EmailChange = "email_change";
}
