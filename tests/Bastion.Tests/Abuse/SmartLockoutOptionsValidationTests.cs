using Bastion.Abuse;

namespace Bastion.Tests.Abuse;

public sealed class SmartLockoutOptionsValidationTests
{
    private readonly AbuseOptionsValidator _validator = new();

    public static TheoryData<string, Action<AbuseOptions>> Invalid => new()
    {
        { "Bastion:Abuse:Lockout:Account:", o => o.Lockout.Account.MaxFailures = 0 },
        { "Bastion:Abuse:Lockout:Account:", o => o.Lockout.Account.Window = TimeSpan.Zero },
        { "Bastion:Abuse:Lockout:Account:MaxDuration", o => o.Lockout.Account.MaxDuration = TimeSpan.FromMinutes(1) },
        { "Bastion:Abuse:Lockout:Account:MaxDuration", o => o.Lockout.Account.MaxDuration = TimeSpan.FromDays(8) },
        { "Bastion:Abuse:Lockout:Familiar:DeviceCookieName", o => o.Lockout.Familiar.DeviceCookieName = "__Host-device" },
        { "Bastion:Abuse:Lockout:Familiar:DeviceCookieName", o => o.Lockout.Familiar.DeviceCookieName = "a;b" },
        { "Bastion:Abuse:Lockout:Familiar:DeviceCookieLifetime", o => o.Lockout.Familiar.DeviceCookieLifetime = TimeSpan.FromDays(401) },
        { "Bastion:Abuse:Lockout:Familiar:", o => o.Lockout.Familiar.DeviceMaxFailures = 0 },
        { "Bastion:Abuse:Lockout:Familiar:", o => o.Lockout.Familiar.MaxAddresses = 101 },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_SmartLockoutOutOfRange_NamesTheSetting(string setting, Action<AbuseOptions> configure)
    {
        var options = new AbuseOptions();
        configure(options);

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_MeetTheDailyGuessBudget()
    {
        // Ten failures, then locks of 15 min doubling to a day: the simulation in SmartLockoutSimulationTests counts 70.
        var account = new AbuseOptions().Lockout.Account;

        Assert.True(_validator.Validate(null, new AbuseOptions()).Succeeded);
        Assert.Equal((10, TimeSpan.FromDays(1), TimeSpan.FromMinutes(15), TimeSpan.FromDays(1)), (account.MaxFailures, account.Window, account.Duration, account.MaxDuration));
    }
}
