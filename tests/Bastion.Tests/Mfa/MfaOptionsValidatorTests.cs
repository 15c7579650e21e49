using Bastion.Mfa;

namespace Bastion.Tests.Mfa;

public sealed class MfaOptionsValidatorTests
{
    private readonly MfaOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var options = new MfaOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal("Bastion", options.Issuer);
        Assert.Equal(6, options.Digits);
        Assert.Equal(TotpAlgorithm.Sha1, options.Algorithm);
        Assert.Equal(1, options.Window);
        Assert.Equal(10, options.RecoveryCodeCount);
        Assert.Equal(TimeSpan.FromMinutes(10), options.EmailCodeLifetime);
        Assert.Equal(6, options.EmailCodeDigits);
    }

    public static TheoryData<Action<MfaOptions>, string> InvalidSettings => new()
    {
        { o => o.Issuer = " ", "Bastion:Mfa:Issuer" },
        { o => o.Issuer = "Acme:Prod", "Bastion:Mfa:Issuer" },
        { o => o.Digits = 5, "Bastion:Mfa:Digits" },
        { o => o.Digits = 9, "Bastion:Mfa:Digits" },
        { o => o.Algorithm = (TotpAlgorithm)7, "Bastion:Mfa:Algorithm" },
        { o => o.Window = -1, "Bastion:Mfa:Window" },
        { o => o.Window = 3, "Bastion:Mfa:Window" },
        { o => o.RecoveryCodeCount = 0, "Bastion:Mfa:RecoveryCodeCount" },
        { o => o.RecoveryCodeCount = 51, "Bastion:Mfa:RecoveryCodeCount" },
        { o => o.EmailCodeLifetime = TimeSpan.Zero, "Bastion:Mfa:EmailCodeLifetime" },
        { o => o.EmailCodeLifetime = TimeSpan.FromMinutes(11), "Bastion:Mfa:EmailCodeLifetime" },
        { o => o.EmailCodeDigits = 4, "Bastion:Mfa:EmailCodeDigits" },
        { o => o.ChallengeLifetime = TimeSpan.FromSeconds(59), "Bastion:Mfa:ChallengeLifetime" },
        { o => o.ChallengeLifetime = TimeSpan.FromMinutes(16), "Bastion:Mfa:ChallengeLifetime" },
        { o => o.MaxChallengeAttempts = 0, "Bastion:Mfa:MaxChallengeAttempts" },
        { o => o.MaxChallengeAttempts = 11, "Bastion:Mfa:MaxChallengeAttempts" },
        { o => o.MaxEmailCodesPerChallenge = 0, "Bastion:Mfa:MaxEmailCodesPerChallenge" },
        { o => o.MaxEmailCodesPerChallenge = 6, "Bastion:Mfa:MaxEmailCodesPerChallenge" },
        { o => o.EnrolmentLifetime = TimeSpan.Zero, "Bastion:Mfa:EnrolmentLifetime" },
        { o => o.EnrolmentLifetime = TimeSpan.FromMinutes(61), "Bastion:Mfa:EnrolmentLifetime" },
        { o => o.StepUpMaxAge = TimeSpan.FromSeconds(30), "Bastion:Mfa:StepUpMaxAge" },
        { o => o.StepUpMaxAge = TimeSpan.FromHours(13), "Bastion:Mfa:StepUpMaxAge" },
        { o => o.MaxSecondFactorFailures = 2, "Bastion:Mfa:MaxSecondFactorFailures" },
        { o => o.MaxSecondFactorFailures = 101, "Bastion:Mfa:MaxSecondFactorFailures" },
        { o => o.SecondFactorLockout = TimeSpan.FromSeconds(59), "Bastion:Mfa:SecondFactorLockout" },
        { o => o.SecondFactorLockout = TimeSpan.FromHours(25), "Bastion:Mfa:SecondFactorLockout" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_InvalidSetting_FailsNamingIt(Action<MfaOptions> change, string setting)
    {
        var options = new MfaOptions();
        change(options);

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Single(result.Failures!);
        Assert.StartsWith(setting + " ", result.Failures!.Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Validate_WindowZeroOrTwo_Succeeds(int window)
    {
        Assert.True(_validator.Validate(null, new MfaOptions { Window = window }).Succeeded);
    }
}
