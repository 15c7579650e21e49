using Microsoft.Extensions.Options;

namespace Bastion.Recovery;

/// <summary>Refuses recovery settings that would make e-mailed tokens long-lived or mail unbounded; each message names the setting.</summary>
internal sealed class RecoveryOptionsValidator : IValidateOptions<RecoveryOptions>
{
    public ValidateOptionsResult Validate(string? name, RecoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.PasswordResetLifetime < TimeSpan.FromMinutes(5) || options.PasswordResetLifetime > RecoveryOptions.MaxPasswordResetLifetime)
        {
            // A reset link is a password for as long as it lives (OWASP Forgot Password Cheat Sheet, "expire after an appropriate period").
            failures.Add("Bastion:Recovery:PasswordResetLifetime must be between 00:05:00 and 1.00:00:00 (24 hours); the default is 01:00:00.");
        }

        if (options.EmailVerificationLifetime < TimeSpan.FromMinutes(5) || options.EmailVerificationLifetime > RecoveryOptions.MaxEmailVerificationLifetime)
        {
            failures.Add("Bastion:Recovery:EmailVerificationLifetime must be between 00:05:00 and 7.00:00:00 (7 days); the default is 2.00:00:00.");
        }

        if (options.ResetEmailsPerHour is < 1 or > 20)
        {
            failures.Add("Bastion:Recovery:ResetEmailsPerHour must be between 1 and 20: it caps what a stranger can make Bastion send to one address.");
        }

        if (options.VerificationEmailsPerDay is < 1 or > 50)
        {
            failures.Add("Bastion:Recovery:VerificationEmailsPerDay must be between 1 and 50.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
