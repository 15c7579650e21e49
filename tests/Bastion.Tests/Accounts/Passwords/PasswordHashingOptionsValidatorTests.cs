using Bastion.Accounts.Passwords;

namespace Bastion.Tests.Accounts.Passwords;

public sealed class PasswordHashingOptionsValidatorTests
{
    private readonly PasswordHashingOptionsValidator _validator = new(() => true);

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = _validator.Validate(null, new PasswordHashingOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_Argon2MemoryBelowOwaspMinimum_FailsSayingWhatToSet()
    {
        var result = _validator.Validate(null, new PasswordHashingOptions { MemoryKiB = 16384 });

        var message = Assert.Single(result.Failures!);
        Assert.Contains("Bastion:Passwords:Hashing:MemoryKiB", message, StringComparison.Ordinal);
        Assert.Contains("at least 19456", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Argon2IterationsBelowOwaspMinimum_FailsSayingWhatToSet()
    {
        var result = _validator.Validate(null, new PasswordHashingOptions { Iterations = 1 });

        var message = Assert.Single(result.Failures!);
        Assert.Contains("Iterations is 1; set it to at least 2", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Pbkdf2IterationsBelowOwaspMinimum_FailsSayingWhatToSet()
    {
        var result = _validator.Validate(null, new PasswordHashingOptions { Algorithm = PasswordHashAlgorithm.Pbkdf2Sha512, Pbkdf2Iterations = 100_000 });

        var message = Assert.Single(result.Failures!);
        Assert.Contains("Pbkdf2Iterations is 100000; set it to at least 210000", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UndefinedAlgorithm_Fails()
    {
        var result = _validator.Validate(null, new PasswordHashingOptions { Algorithm = (PasswordHashAlgorithm)7 });

        Assert.Contains("Argon2id or Pbkdf2Sha512", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Argon2idWithoutLibsodium_FailsUnlessFallbackOrPbkdf2IsChosen()
    {
        var validator = new PasswordHashingOptionsValidator(() => false);

        Assert.Contains("libsodium", Assert.Single(validator.Validate(null, new PasswordHashingOptions()).Failures!), StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new PasswordHashingOptions { AllowPbkdf2Fallback = true }).Succeeded);
        Assert.True(validator.Validate(null, new PasswordHashingOptions { Algorithm = PasswordHashAlgorithm.Pbkdf2Sha512 }).Succeeded);
    }
}
