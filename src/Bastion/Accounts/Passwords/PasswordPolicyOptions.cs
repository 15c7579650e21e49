namespace Bastion.Accounts.Passwords;

/// <summary>Password rules for registration and password changes, bound from <c>Bastion:Passwords:Policy</c>.</summary>
public sealed class PasswordPolicyOptions
{
    public const string SectionName = "Bastion:Passwords:Policy";

    /// <summary>NIST SP 800-63B 5.1.1.1: at least 8 characters.</summary>
    public const int LowestMinimumLength = 8;

    /// <summary>NIST SP 800-63B 5.1.1.2: verifiers should permit at least 64 characters.</summary>
    public const int LowestMaximumLength = 64;

    /// <summary>
    /// The profile these rules start from (<see cref="PasswordProfiles"/>), set from <c>Bastion:Passwords:Profile</c>
    /// before the <c>Policy</c> section is bound.
    /// </summary>
    public string Profile { get; set; } = PasswordProfiles.Default;

    public int MinimumLength { get; set; } = LowestMinimumLength;

    public int MaximumLength { get; set; } = 128;

    public bool RequireUppercase { get; set; } = true;

    public bool RequireLowercase { get; set; } = true;

    public bool RequireDigit { get; set; } = true;

    /// <summary>A special character is any character that is neither a letter nor a digit.</summary>
    public bool RequireSpecial { get; set; } = true;

    /// <summary>NIST SP 800-63B 5.1.1.2: compare against a list of commonly used or compromised passwords.</summary>
    public bool RejectCommonPasswords { get; set; } = true;

    /// <summary>Reject passwords that contain the e-mail local part or a part of the person's name.</summary>
    public bool RejectPersonalInfo { get; set; } = true;
}
