namespace Bastion.Accounts.Passwords;

/// <summary>The outcome of <see cref="PasswordPolicy.Evaluate"/>.</summary>
/// <param name="Failures">Every requirement the password misses, in a stable order; empty when it is accepted.</param>
/// <param name="Score">Estimated strength from 0 (trivially guessable) to 4 (strong), for a strength meter.</param>
public sealed record PasswordEvaluation(IReadOnlyList<PasswordPolicyFailure> Failures, int Score)
{
    public bool IsValid => Failures.Count == 0;
}

/// <summary>One missed requirement: a stable <see cref="Code"/> from <see cref="PasswordFailureCodes"/> and a message for people.</summary>
public sealed record PasswordPolicyFailure(string Code, string Message);

/// <summary>The stable codes of <see cref="PasswordPolicyFailure"/>; clients and tests may depend on them.</summary>
public static class PasswordFailureCodes
{
    public const string TooShort = "too_short";
    public const string TooLong = "too_long";
    public const string MissingUppercase = "missing_uppercase";
    public const string MissingLowercase = "missing_lowercase";
    public const string MissingDigit = "missing_digit";
    public const string MissingSpecial = "missing_special";
    public const string CommonPassword = "common_password";
    public const string ContainsPersonalInfo = "contains_personal_info";
}
