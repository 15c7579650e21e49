namespace Bastion.Accounts.Passwords;

/// <summary>
/// Named starting points for <see cref="PasswordPolicyOptions"/>, chosen with <c>Bastion:Passwords:Profile</c>;
/// settings under <c>Bastion:Passwords:Policy</c> still apply on top, within what the profile allows.
/// </summary>
public static class PasswordProfiles
{
    /// <summary>The seeds' rules: 8 characters or more with upper case, lower case, a digit and a symbol.</summary>
    public const string Default = "Default";

    /// <summary>
    /// NIST SP 800-63B-4 §3.1.1.2 for a password that is the only factor: at least 15 characters, at least 64
    /// allowed, no composition rules (they push people to predictable patterns such as "Password1!"), and every
    /// new password checked against a blocklist of common ones and of words from its context (name, e-mail).
    /// </summary>
    public const string Nist80063B = "Nist80063B";

    /// <summary>SP 800-63B-4: the minimum length of a password used as a single factor.</summary>
    public const int NistMinimumLength = 15;

    public static IReadOnlyList<string> All { get; } = [Default, Nist80063B];

    /// <summary>Records <paramref name="profile"/> (Default when unset) and sets its rules on <paramref name="options"/>.</summary>
    internal static void Apply(PasswordPolicyOptions options, string? profile)
    {
        options.Profile = string.IsNullOrWhiteSpace(profile) ? Default : profile.Trim();
        if (!string.Equals(options.Profile, Nist80063B, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        options.Profile = Nist80063B;
        options.MinimumLength = NistMinimumLength;
        options.RequireUppercase = false;
        options.RequireLowercase = false;
        options.RequireDigit = false;
        options.RequireSpecial = false;
        options.RejectCommonPasswords = true;
        options.RejectPersonalInfo = true;
    }
}
