using Microsoft.Extensions.Options;

namespace Bastion.Accounts.Passwords;

/// <summary>
/// Refuses length limits weaker than NIST SP 800-63B allows, an unknown profile, and settings that leave the chosen
/// profile, so a node will not start with them.
/// </summary>
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

        if (!PasswordProfiles.All.Contains(options.Profile, StringComparer.Ordinal))
        {
            failures.Add($"Bastion:Passwords:Profile is '{options.Profile}'; use {string.Join(" or ", PasswordProfiles.All)}.");
        }
        else if (options.Profile == PasswordProfiles.Nist80063B)
        {
            ValidateNist(options, failures);
        }

        if (options.MaximumLength < options.MinimumLength)
        {
            failures.Add($"{Section}:MaximumLength ({options.MaximumLength}) is below MinimumLength ({options.MinimumLength}); no password could be accepted.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // A Policy setting that leaves NIST SP 800-63B-4 §3.1.1.2 would make the profile's name a false claim: refused.
    private static void ValidateNist(PasswordPolicyOptions options, List<string> failures)
    {
        const string Section = PasswordPolicyOptions.SectionName;
        if (options.MinimumLength < PasswordProfiles.NistMinimumLength)
        {
            failures.Add($"{Section}:MinimumLength is {options.MinimumLength}; the Nist80063B profile needs at least {PasswordProfiles.NistMinimumLength} (NIST SP 800-63B-4 §3.1.1.2).");
        }

        if (options.RequireUppercase || options.RequireLowercase || options.RequireDigit || options.RequireSpecial)
        {
            failures.Add($"{Section}:Require* are set; the Nist80063B profile imposes no composition rules (NIST SP 800-63B-4 §3.1.1.2): remove them or use the Default profile.");
        }

        if (!options.RejectCommonPasswords)
        {
            failures.Add($"{Section}:RejectCommonPasswords is false; the Nist80063B profile checks every new password against the blocklist (NIST SP 800-63B-4 §3.1.1.2).");
        }
    }
}
