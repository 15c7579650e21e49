namespace Bastion.Protection;

/// <summary>The stable machine codes carried in every problem+json body (<c>code</c>); clients may switch on them.</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string UnknownField = "unknown_field";
    public const string ValidationFailed = "validation_failed";
    public const string InvalidCredentials = "invalid_credentials";
    public const string AccountPending = "account_pending";
    public const string AccountDisabled = "account_disabled";
    public const string EmailTaken = "email_taken";
    public const string EmailUnverified = "email_unverified";
    public const string ResetTokenInvalid = "reset_token_invalid";
    public const string VerificationTokenInvalid = "verification_token_invalid";
    public const string Conflict = "conflict";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string CsrfFailed = "csrf_failed";
    public const string TokenInvalid = "token_invalid";
    public const string TokenExpired = "token_expired";
    public const string TokenRevoked = "token_revoked";
    public const string RefreshReused = "refresh_reused";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string RateLimited = "rate_limited";
    public const string LockedOut = "locked_out";
    public const string IpBlocked = "ip_blocked";
    public const string StepUpRequired = "step_up_required";

    /// <summary>An administrator tried to change their own department, roles or status: nobody widens their own reach.</summary>
    public const string SelfChangeRefused = "self_change_refused";
    public const string MfaRequired = "mfa_required";
    public const string MfaTokenInvalid = "mfa_token_invalid";
    public const string MfaCodeInvalid = "mfa_code_invalid";
    public const string MfaMethodUnavailable = "mfa_method_unavailable";
    public const string MfaNotEnabled = "mfa_not_enabled";
    public const string MfaEnrolmentExpired = "mfa_enrolment_expired";
    public const string IdempotencyKeyInvalid = "idempotency_key_invalid";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string IdempotencyKeyInUse = "idempotency_key_in_use";
    public const string ServiceUnavailable = "service_unavailable";
    public const string InternalError = "internal_error";

    /// <summary>The code used when a response with this status carries no more specific one.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => ServiceUnavailable,
        >= 500 => InternalError,
        _ => InvalidRequest,
    };
}
