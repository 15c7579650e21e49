using Bastion.Accounts.Passwords;

namespace Bastion.Tests.Accounts.Passwords;

public sealed class PasswordPolicyOptionsValidatorTests
{
    private readonly PasswordPolicyOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(_validator.Validate(null, new PasswordPolicyOptions()).Succeeded);
    }

    [Fact]
    public void Validate_MinimumLengthBelowNistFloor_Fails()
    {
        var result = _validator.Validate(null, new PasswordPolicyOptions { MinimumLength = 6 });

        Assert.Contains("MinimumLength is 6; set it to at least 8", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaximumLengthTooShortForPassphrases_Fails()
    {
        var result = _validator.Validate(null, new PasswordPolicyOptions { MaximumLength = 32 });

        Assert.Contains("MaximumLength is 32; set it to at least 64", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaximumBelowMinimum_Fails()
    {
        var result = _validator.Validate(null, new PasswordPolicyOptions { MinimumLength = 100, MaximumLength = 80 });

        Assert.Contains("below MinimumLength", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
