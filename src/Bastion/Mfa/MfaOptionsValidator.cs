using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>Refuses MFA settings that would break enrolment or weaken the second factor; each message names the setting.</summary>
internal sealed class MfaOptionsValidator : IValidateOptions<MfaOptions>
{
    public ValidateOptionsResult Validate(string? name, MfaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer) || options.Issuer.Contains(':', StringComparison.Ordinal))
        {
            failures.Add("Bastion:Mfa:Issuer must be a non-empty name without ':' (the Key Uri Format separates issuer and account with it).");
        }

        if (options.Digits is < 6 or > 8)
        {
            failures.Add("Bastion:Mfa:Digits must be 6, 7 or 8 (RFC 4226 §5.3); most authenticator apps support only 6.");
        }

        if (!Enum.IsDefined(options.Algorithm))
        {
            failures.Add("Bastion:Mfa:Algorithm must be SHA1, SHA256 or SHA512.");
        }

        if (options.Window is < 0 or > Totp.MaxWindow)
        {
            failures.Add($"Bastion:Mfa:Window must be between 0 and {Totp.MaxWindow} steps: each step more is 30 seconds more for a stolen or guessed code (RFC 6238 §5.2 recommends 1).");
        }

        if (options.RecoveryCodeCount is < 1 or > RecoveryCodes.MaxCount)
        {
            failures.Add($"Bastion:Mfa:RecoveryCodeCount must be between 1 and {RecoveryCodes.MaxCount}.");
        }

        if (options.EmailCodeLifetime <= TimeSpan.Zero || options.EmailCodeLifetime > EmailOtp.MaxLifetime)
        {
            failures.Add("Bastion:Mfa:EmailCodeLifetime must be positive and at most 00:10:00 (OWASP ASVS 5.0 §6.5.5).");
        }

        if (options.EmailCodeDigits is < 6 or > 8)
        {
            failures.Add("Bastion:Mfa:EmailCodeDigits must be 6, 7 or 8: fewer than 6 digits is under the 20 bits OWASP ASVS 5.0 §6.5.4 requires.");
        }

        if (options.ChallengeLifetime < TimeSpan.FromMinutes(1) || options.ChallengeLifetime > TimeSpan.FromMinutes(15))
        {
            failures.Add("Bastion:Mfa:ChallengeLifetime must be between 00:01:00 and 00:15:00: a half-finished sign-in is a credential.");
        }

        if (options.MaxChallengeAttempts is < 1 or > 10)
        {
            failures.Add("Bastion:Mfa:MaxChallengeAttempts must be between 1 and 10.");
        }

        if (options.MaxEmailCodesPerChallenge is < 1 or > 5)
        {
            failures.Add("Bastion:Mfa:MaxEmailCodesPerChallenge must be between 1 and 5.");
        }

        if (options.EnrolmentLifetime < TimeSpan.FromMinutes(1) || options.EnrolmentLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("Bastion:Mfa:EnrolmentLifetime must be between 00:01:00 and 01:00:00.");
        }

        if (options.StepUpMaxAge < TimeSpan.FromMinutes(1) || options.StepUpMaxAge > TimeSpan.FromHours(12))
        {
            failures.Add("Bastion:Mfa:StepUpMaxAge must be between 00:01:00 and 12:00:00 (OWASP ASVS 5.0 §7.5: re-authenticate before sensitive changes).");
        }

        if (options.MaxSecondFactorFailures is < 3 or > 100)
        {
            failures.Add("Bastion:Mfa:MaxSecondFactorFailures must be between 3 and 100 (NIST SP 800-63B §5.2.2: at most 100 failed attempts).");
        }

        if (options.SecondFactorLockout < TimeSpan.FromMinutes(1) || options.SecondFactorLockout > TimeSpan.FromHours(24))
        {
            failures.Add("Bastion:Mfa:SecondFactorLockout must be between 00:01:00 and 1.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
