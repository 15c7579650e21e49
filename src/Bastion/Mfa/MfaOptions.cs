namespace Bastion.Mfa;

/// <summary>Multi-factor authentication settings (<c>Bastion:Mfa</c>).</summary>
public sealed class MfaOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Bastion:Mfa";

    /// <summary>The service name authenticator apps show next to the account; may not contain ':'.</summary>
    public string Issuer { get; set; } = "Bastion";

    /// <summary>TOTP code length, 6 to 8. Six is what every authenticator app shows.</summary>
    public int Digits { get; set; } = 6;

    /// <summary>TOTP hash. SHA-1 by default: some authenticator apps ignore the algorithm parameter and always use SHA-1.</summary>
    public TotpAlgorithm Algorithm { get; set; } = TotpAlgorithm.Sha1;

    /// <summary>30-second steps accepted either side of the server's for clock drift, 0 to 2 (RFC 6238 §5.2 recommends 1).</summary>
    public int Window { get; set; } = 1;

    /// <summary>Recovery codes in a new set, 1 to 50.</summary>
    public int RecoveryCodeCount { get; set; } = RecoveryCodes.DefaultCount;

    /// <summary>How long an e-mailed code is valid, at most 10 minutes (OWASP ASVS 5.0 §6.5.5).</summary>
    public TimeSpan EmailCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>E-mailed code length, 6 to 8.</summary>
    public int EmailCodeDigits { get; set; } = 6;

    /// <summary>How long a half-finished sign-in (the <c>mfa_token</c>) waits for its second factor, 1 to 15 minutes.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong codes one pending sign-in may take before it is withdrawn, 1 to 10.</summary>
    public int MaxChallengeAttempts { get; set; } = 5;

    /// <summary>E-mailed codes one pending sign-in may ask for, 1 to 5.</summary>
    public int MaxEmailCodesPerChallenge { get; set; } = 3;

    /// <summary>How long TOTP enrolment waits for the confirming code, 1 to 60 minutes.</summary>
    public TimeSpan EnrolmentLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How recent the last full authentication (password, plus the second factor when the account has one) must be
    /// for sensitive changes (OWASP ASVS 5.0 §7.5), 1 minute to 12 hours.
    /// </summary>
    public TimeSpan StepUpMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Wrong second-factor codes per account, from any address and across sign-ins, before second-factor entry is
    /// locked for <see cref="SecondFactorLockout"/>, 3 to 100 (NIST SP 800-63B §5.2.2 allows at most 100). A correct
    /// password does not reset it; only a correct second factor does.
    /// </summary>
    public int MaxSecondFactorFailures { get; set; } = 10;

    /// <summary>How long second-factor entry stays locked, counted from the first failure, 1 minute to 24 hours.</summary>
    public TimeSpan SecondFactorLockout { get; set; } = TimeSpan.FromMinutes(15);
}
