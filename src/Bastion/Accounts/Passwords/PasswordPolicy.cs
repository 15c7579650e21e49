using System.Text;
using Microsoft.Extensions.Options;

namespace Bastion.Accounts.Passwords;

/// <summary>
/// Checks a new password against the configured rules and estimates its strength. Lengths count Unicode code
/// points, as NIST SP 800-63B 5.1.1.2 asks, so an emoji is one character.
/// </summary>
public sealed class PasswordPolicy
{
    // Personal-information parts shorter than this ("Li", "jo") would match too many unrelated passwords.
    private const int MinimumPersonalPartLength = 3;
    private static readonly char[] EmailSeparators = ['.', '_', '-', '+'];
    private static readonly char[] NameSeparators = [' ', '\t', '-', '\'', '.', ','];

    private readonly PasswordPolicyOptions _options;
    private readonly CommonPasswords _commonPasswords;

    internal PasswordPolicy(IOptions<PasswordPolicyOptions> options, CommonPasswords commonPasswords)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _commonPasswords = commonPasswords;
    }

    /// <summary>Evaluates <paramref name="password"/> for the person with this e-mail address and name.</summary>
    public PasswordEvaluation Evaluate(string password, string? email, string? fullName)
    {
        ArgumentNullException.ThrowIfNull(password);

        // Judge exactly what is hashed: the NFKC form (Utf8Password). Otherwise "Ｐａｓｓｗｏｒｄ１２３!" in
        // full-width letters would pass every check and then work as "Password123!".
        password = Nfkc(password);
        email = email is null ? null : Nfkc(email);
        fullName = fullName is null ? null : Nfkc(fullName);
        var failures = new List<PasswordPolicyFailure>();

        var length = password.EnumerateRunes().Count();
        Require(length >= _options.MinimumLength, PasswordFailureCodes.TooShort, $"Use at least {_options.MinimumLength} characters.");
        Require(length <= _options.MaximumLength, PasswordFailureCodes.TooLong, $"Use at most {_options.MaximumLength} characters.");

        bool upper = false, lower = false, digit = false, special = false;
        foreach (var rune in password.EnumerateRunes())
        {
            upper |= Rune.IsUpper(rune);
            lower |= Rune.IsLower(rune);
            digit |= Rune.IsDigit(rune);
            special |= !Rune.IsLetterOrDigit(rune);
        }

        Require(upper || !_options.RequireUppercase, PasswordFailureCodes.MissingUppercase, "Add an uppercase letter.");
        Require(lower || !_options.RequireLowercase, PasswordFailureCodes.MissingLowercase, "Add a lowercase letter.");
        Require(digit || !_options.RequireDigit, PasswordFailureCodes.MissingDigit, "Add a digit.");
        Require(special || !_options.RequireSpecial, PasswordFailureCodes.MissingSpecial, "Add a symbol, such as ! # % or a space.");

        // The score is for people choosing a password, so the list lowers it even where rejection is turned off.
        var common = _commonPasswords.IsCommon(password);
        var personal = ContainsPersonalInfo(password, email, fullName);
        Require(!common || !_options.RejectCommonPasswords, PasswordFailureCodes.CommonPassword,
            "This password is too common and easy to guess; choose a less predictable one.");
        Require(!personal || !_options.RejectPersonalInfo, PasswordFailureCodes.ContainsPersonalInfo,
            "Do not use your name or e-mail address in the password.");

        var score = PasswordStrength.Score(password);
        if (common)
        {
            score = 0;
        }
        else if (personal)
        {
            score = Math.Min(score, 1);
        }

        return new PasswordEvaluation(failures, score);

        void Require(bool met, string code, string message)
        {
            if (!met)
            {
                failures.Add(new PasswordPolicyFailure(code, message));
            }
        }
    }

    private static bool ContainsPersonalInfo(string password, string? email, string? fullName)
    {
        // Also look through leetspeak, so "J0hnSm1th" still contains "john" and "smith".
        var lowered = password.ToLowerInvariant();
        string[] forms = [lowered, PasswordVariants.Unleet(lowered, 'i'), PasswordVariants.Unleet(lowered, 'l')];
        return PersonalParts(email, fullName).Any(part => forms.Any(form => form.Contains(part, StringComparison.Ordinal)));
    }

    private static IEnumerable<string> PersonalParts(string? email, string? fullName)
    {
        if (!string.IsNullOrWhiteSpace(email))
        {
            var at = email.LastIndexOf('@');
            var local = (at < 0 ? email : email[..at]).Trim().ToLowerInvariant();
            if (local.Length >= MinimumPersonalPartLength)
            {
                yield return local;
            }

            foreach (var part in local.Split(EmailSeparators, StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.Length >= MinimumPersonalPartLength)
                {
                    yield return part;
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(fullName))
        {
            foreach (var part in fullName.ToLowerInvariant().Split(NameSeparators, StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.Length >= MinimumPersonalPartLength)
                {
                    yield return part;
                }
            }
        }
    }

    private static string Nfkc(string value)
        => value.IsNormalized(NormalizationForm.FormKC) ? value : value.Normalize(NormalizationForm.FormKC);
}
