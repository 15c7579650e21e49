namespace Bastion.Recovery;

/// <summary>Password reset and e-mail address verification (<c>Bastion:Recovery</c>).</summary>
public sealed class RecoveryOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Bastion:Recovery";

    /// <summary>The longest a reset link may be made valid (OWASP Forgot Password Cheat Sheet: tokens expire after a short period).</summary>
    public static readonly TimeSpan MaxPasswordResetLifetime = TimeSpan.FromHours(24);

    /// <summary>The longest a verification link may be made valid.</summary>
    public static readonly TimeSpan MaxEmailVerificationLifetime = TimeSpan.FromDays(7);

    /// <summary>How long a password reset link works; 1 hour by default, at most 24 hours.</summary>
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an address verification link works; 48 hours by default, at most 7 days.</summary>
    public TimeSpan EmailVerificationLifetime { get; set; } = TimeSpan.FromHours(48);

    /// <summary>
    /// Refuse password sign-in (403 <c>email_unverified</c>) until the account's address is verified. Off by
    /// default, as in Keycloak and Ory Kratos: turning it on for an existing installation locks out every account
    /// that registered before verification mails were sent, until it completes a password reset.
    /// </summary>
    public bool RequireVerifiedEmail { get; set; }

    /// <summary>Reset mails per account per hour; further requests still answer 202 but send nothing (no mail-bombing).</summary>
    public int ResetEmailsPerHour { get; set; } = 3;

    /// <summary>Verification mails per account per day (registration included); at most one a minute besides.</summary>
    public int VerificationEmailsPerDay { get; set; } = 5;
}
