using Bastion.Recovery;

namespace Bastion.Tests.Recovery;

public sealed class RecoveryOptionsValidatorTests
{
    private readonly RecoveryOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var options = new RecoveryOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromHours(1), options.PasswordResetLifetime);
        Assert.Equal(TimeSpan.FromHours(48), options.EmailVerificationLifetime);
        Assert.False(options.RequireVerifiedEmail);
        Assert.Equal(3, options.ResetEmailsPerHour);
        Assert.Equal(5, options.VerificationEmailsPerDay);
    }

    public static TheoryData<Action<RecoveryOptions>, string> InvalidSettings => new()
    {
        { o => o.PasswordResetLifetime = TimeSpan.Zero, "Bastion:Recovery:PasswordResetLifetime" },
        { o => o.PasswordResetLifetime = TimeSpan.FromMinutes(4), "Bastion:Recovery:PasswordResetLifetime" },
        { o => o.PasswordResetLifetime = TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1), "Bastion:Recovery:PasswordResetLifetime" },
        { o => o.EmailVerificationLifetime = TimeSpan.FromMinutes(-1), "Bastion:Recovery:EmailVerificationLifetime" },
        { o => o.EmailVerificationLifetime = TimeSpan.FromDays(8), "Bastion:Recovery:EmailVerificationLifetime" },
        { o => o.ResetEmailsPerHour = 0, "Bastion:Recovery:ResetEmailsPerHour" },
        { o => o.ResetEmailsPerHour = 21, "Bastion:Recovery:ResetEmailsPerHour" },
        { o => o.VerificationEmailsPerDay = 0, "Bastion:Recovery:VerificationEmailsPerDay" },
        { o => o.VerificationEmailsPerDay = 51, "Bastion:Recovery:VerificationEmailsPerDay" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_InvalidSetting_FailsNamingIt(Action<RecoveryOptions> change, string setting)
    {
        var options = new RecoveryOptions();
        change(options);

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.StartsWith(setting + " ", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TheLongestAllowedLifetimes_Succeeds()
    {
        var options = new RecoveryOptions
        {
            PasswordResetLifetime = RecoveryOptions.MaxPasswordResetLifetime,
            EmailVerificationLifetime = RecoveryOptions.MaxEmailVerificationLifetime,
        };

        Assert.True(_validator.Validate(null, options).Succeeded);
    }
}
