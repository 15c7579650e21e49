namespace Bastion.Mfa;

/// <summary>The outcome of <see cref="EmailOtp.VerifyAsync"/>.</summary>
public enum EmailOtpResult
{
    /// <summary>The code matched and is now spent.</summary>
    Valid,

    /// <summary>The code did not match; the user may try again while attempts remain.</summary>
    Invalid,

    /// <summary>No code is pending: none was sent, it expired, or it was used or withdrawn.</summary>
    Expired,

    /// <summary>The code was withdrawn after <see cref="EmailOtp.MaxAttempts"/> attempts; a new one must be requested.</summary>
    TooManyAttempts,
}
