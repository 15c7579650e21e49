namespace Bastion.Audit;

/// <summary>
/// The event types Bastion records, in snake_case; the first six are the names of the original design (seed 002).
/// An application may record its own types in the same style.
/// </summary>
public static class AuditEventTypes
{
    public const string LoginSuccess = "login_success";
    public const string LoginFailure = "login_failure";
    public const string PermissionDenied = "permission_denied";
    public const string DataAccess = "data_access";
    public const string DataModification = "data_modification";
    public const string SecurityViolation = "security_violation";

    public const string Logout = "logout";
    public const string TokenRefreshed = "token_refreshed";
    public const string RefreshReused = "refresh_reused";
    public const string TokenRevoked = "token_revoked";
    public const string PasswordChanged = "password_changed";
    public const string PasswordReset = "password_reset";
    public const string PasswordResetRequested = "password_reset_requested";
    public const string EmailVerified = "email_verified";
    public const string RoleChanged = "role_changed";
    public const string UserApproved = "user_approved";
    public const string UserDisabled = "user_disabled";
    public const string UserEnabled = "user_enabled";
    public const string MfaEnabled = "mfa_enabled";
    public const string MfaDisabled = "mfa_disabled";
    public const string MfaChallenged = "mfa_challenged";
    public const string RecoveryCodesRegenerated = "recovery_codes_regenerated";
    public const string EmailChangeRequested = "email_change_requested";
    public const string EmailChanged = "email_changed";
    public const string AccountDeleted = "account_deleted";

    /// <summary>An administrator erased someone else's account (the same anonymisation as <see cref="AccountDeleted"/>).</summary>
    public const string AccountErased = "account_erased";
    public const string IpBlocked = "ip_blocked";
    public const string IpUnblocked = "ip_unblocked";
    public const string RateLimited = "rate_limited";
    public const string AccountLocked = "account_locked";
    public const string CsrfFailed = "csrf_failed";
    public const string SessionHijackDetected = "session_hijack_detected";

    /// <summary>Whether <paramref name="type"/> is snake_case: a lower-case letter, then lower-case letters, digits and single underscores.</summary>
    public static bool IsValid(string? type)
    {
        if (string.IsNullOrEmpty(type) || type.Length > 64 || !char.IsAsciiLetterLower(type[0]) || type[^1] == '_')
        {
            return false;
        }

        for (var i = 1; i < type.Length; i++)
        {
            var c = type[i];
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || (c == '_' && type[i - 1] != '_')))
            {
                return false;
            }
        }

        return true;
    }
}
