using Bastion.Abuse;

namespace Bastion.Tests.Abuse;

public sealed class SignInGuardTests
{
    private const string Email = "someone@example.com";

    [Fact]
    public async Task Begin_HundredParallelStrangers_AdmitsExactlyMaxFailures()
    {
        using var fixture = new GuardFixture();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(i => Task.Run(() => fixture.Guard.BeginAsync(new SignInSource(GuardFixture.Address(i), null), Email))));

        Assert.Equal(fixture.Options.Lockout.Account.MaxFailures, attempts.Count(a => a.Refused is null));
        Assert.All(attempts.Where(a => a.Refused is not null), a => Assert.True(a.Refused!.ForUnfamiliarSources));
    }

    [Fact]
    public async Task Succeed_GivesTheCountBack_SoOwnersSigningInFromNewPlacesNeverLockThemselves()
    {
        using var fixture = new GuardFixture();
        for (var i = 0; i < 3 * fixture.Options.Lockout.Account.MaxFailures; i++)
        {
            Assert.True(await fixture.SignInAsync(new SignInSource(GuardFixture.Address(i), null), Email));
        }

        Assert.True(await fixture.GuessAsync(new SignInSource(GuardFixture.Address(999), null), Email));
    }

    [Fact]
    public async Task Abandon_GivesTheCountBack()
    {
        using var fixture = new GuardFixture(options => options.Lockout.Account.MaxFailures = 1);
        var first = await fixture.Guard.BeginAsync(new SignInSource(GuardFixture.Address(1), null), Email);
        Assert.NotNull((await fixture.Guard.BeginAsync(new SignInSource(GuardFixture.Address(2), null), Email)).Refused);

        await fixture.Guard.AbandonAsync(first);

        Assert.Null((await fixture.Guard.BeginAsync(new SignInSource(GuardFixture.Address(3), null), Email)).Refused);
    }

    [Fact]
    public async Task LockedAccount_RefusesStrangers_AdmitsTheKnownDeviceAndAddress_AndEndsByItself()
    {
        using var fixture = new GuardFixture();
        var home = GuardFixture.Address(500);
        Assert.True(await fixture.SignInAsync(new SignInSource(home, null), Email));
        for (var i = 0; i < fixture.Options.Lockout.Account.MaxFailures; i++)
        {
            Assert.True(await fixture.GuessAsync(new SignInSource(GuardFixture.Address(i), null), Email));
        }

        var stranger = await fixture.Guard.BeginAsync(new SignInSource(GuardFixture.Address(42), null), Email);
        Assert.True(stranger.Refused is { ForUnfamiliarSources: true, LockedRemaining: var remaining } && remaining == TimeSpan.FromMinutes(15));
        Assert.True(await fixture.SignInAsync(new SignInSource(GuardFixture.Address(43), "device"), Email));
        Assert.True(await fixture.SignInAsync(new SignInSource(home, null), Email));

        fixture.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.True(await fixture.SignInAsync(new SignInSource(GuardFixture.Address(42), null), Email));
    }

    [Fact]
    public async Task LockedAccount_UnknownAndKnownEmails_AreLockedAlike()
    {
        using var fixture = new GuardFixture();
        Assert.True(await fixture.SignInAsync(new SignInSource(GuardFixture.Address(500), null), Email));
        var gates = new List<SignInGate>();
        foreach (var email in new[] { Email, "nobody@example.com" })
        {
            for (var i = 0; i < fixture.Options.Lockout.Account.MaxFailures; i++)
            {
                await fixture.GuessAsync(new SignInSource(GuardFixture.Address(i), null), email);
            }

            gates.Add((await fixture.Guard.BeginAsync(new SignInSource(GuardFixture.Address(77), null), email)).Refused!);
        }

        Assert.Equal(gates[0], gates[1]);
    }

    [Fact]
    public async Task StolenDeviceCookie_PastItsOwnFailureLimit_IsAStrangerAgain()
    {
        // The per-address defences are set out of the way, to see the device's own limit.
        using var fixture = new GuardFixture(options => (options.Lockout.MaxFailures, options.IpBlocking.MaxFailures) = (1000, 1000));
        var device = new SignInSource(GuardFixture.Address(9), "stolen");
        for (var i = 0; i < fixture.Options.Lockout.Familiar.DeviceMaxFailures; i++)
        {
            var attempt = await fixture.Guard.BeginAsync(device, Email);
            Assert.Equal(SourceFamiliarity.KnownDevice, attempt.Familiarity);
            await fixture.Guard.FailAsync(attempt);
        }

        var after = await fixture.Guard.BeginAsync(device, Email);
        Assert.Equal(SourceFamiliarity.Unfamiliar, after.Familiarity);
        Assert.Null(after.Refused);
    }

    [Fact]
    public async Task Locks_DoubleEachTime_UpToTheMaximum()
    {
        using var fixture = new GuardFixture();
        var lengths = new List<TimeSpan>();
        for (var round = 0; round < 9; round++)
        {
            SignInFailureOutcome? outcome = null;
            for (var i = 0; i < fixture.Options.Lockout.Account.MaxFailures; i++)
            {
                var attempt = await fixture.Guard.BeginAsync(new SignInSource(GuardFixture.Address((round * 100) + i), null), Email);
                outcome = await fixture.Guard.FailAsync(attempt);
            }

            lengths.Add(outcome!.AccountLockedFor!.Value);
            fixture.Clock.Advance(outcome.AccountLockedFor.Value);
        }

        Assert.Equal([15, 30, 60, 120, 240, 480, 960, 1440, 1440], lengths.Select(l => l.TotalMinutes));
    }
}
