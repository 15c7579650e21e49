using Microsoft.Extensions.Options;

namespace Bastion.Accounts.Passwords;

/// <summary>Refuses length limits weaker than NIST SP 800-63B allows, so a node will not start with them.</summary>
internal sealed class PasswordPolicyOptionsValidator : IValidateOptions<PasswordPolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PasswordPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = PasswordPolicyOptions.SectionName;
        var failures = new List<string>();

        if (options.MinimumLength < PasswordPolicyOptions.LowestMinimumLength)
        {
            failures.Add($"{Section}:MinimumLength is {options.MinimumLength}; set it to at least {PasswordPolicyOptions.LowestMinimumLength} (NIST SP 800-63B).");
        }

        if (options.MaximumLength < PasswordPolicyOptions.LowestMaximumLength)
        {
            failures.Add($"{Section}:MaximumLength is {options.MaximumLength}; set it to at least {PasswordPolicyOptions.LowestMaximumLength} so that passphrases fit (NIST SP 800-63B).");
        }

        if (options.MaximumLength < options.MinimumLength)
        {
            failures.Add($"{Section}:MaximumLength ({options.MaximumLength}) is below MinimumLength ({options.MinimumLength}); no password could be accepted.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
