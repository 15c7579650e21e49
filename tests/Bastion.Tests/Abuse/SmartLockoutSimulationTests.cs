using Bastion.Abuse;
using Xunit.Abstractions;

namespace Bastion.Tests.Abuse;

/// <summary>
/// The measurement behind SECURITY.md's smart-lockout figure: the real guard, with its default settings,
/// over two simulated days of an attacker who rotates through 1,000 addresses and guesses as fast as the guard
/// lets them, while the owner keeps signing in from a browser and from an app they used before the attack.
/// </summary>
public sealed class SmartLockoutSimulationTests(ITestOutputHelper output)
{
    private const string Email = "owner@example.com";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RotatingThousandAddresses_GetAtMostAHundredGuessesADay_WhileTheOwnerSignsInThroughout()
    {
        using var fixture = new GuardFixture();
        var browser = new SignInSource(GuardFixture.Address(60_000), "owner-browser-device");
        var app = new SignInSource(GuardFixture.Address(60_001), null);
        Assert.True(await fixture.SignInAsync(app, Email));

        var guessesPerDay = new long[2];
        var (ownerTries, ownerRefusals) = (0, 0);
        var start = fixture.Clock.GetUtcNow();
        for (var tick = 0L; tick < 2 * TimeSpan.FromDays(1) / Step; tick++)
        {
            var day = (int)((fixture.Clock.GetUtcNow() - start) / TimeSpan.FromDays(1));
            if (await fixture.GuessAsync(new SignInSource(GuardFixture.Address((int)(tick % 1000)), null), Email))
            {
                guessesPerDay[day]++;
            }

            if (tick % 360 == 0)
            {
                // Every half hour the owner signs in, from the browser (device cookie) and from the app (known address).
                ownerTries += 2;
                ownerRefusals += (await fixture.SignInAsync(browser, Email) ? 0 : 1) + (await fixture.SignInAsync(app, Email) ? 0 : 1);
            }

            fixture.Clock.Advance(Step);
        }

        output.WriteLine($"guesses: day 1 {guessesPerDay[0]}, day 2 {guessesPerDay[1]}; owner sign-ins {ownerTries}, refused {ownerRefusals}");
        // Locks of 15, 30, 60, 120, 240 and 480 minutes, then 16 h: seven batches of ten on the first day; one on the second.
        Assert.Equal(70, guessesPerDay[0]);
        Assert.Equal(10, guessesPerDay[1]);
        Assert.Equal(0, ownerRefusals);
        Assert.Equal(192, ownerTries);
    }

    [Fact]
    public async Task RotatingAddresses_WithoutTheAccountLockout_GetThousandsOfGuesses()
    {
        // The same attack with the account-wide lock effectively off: the baseline the lockout is measured against.
        using var fixture = new GuardFixture(options => options.Lockout.Account.MaxFailures = 1000);
        var guesses = 0;
        for (var tick = 0L; tick < TimeSpan.FromDays(1) / Step; tick++)
        {
            guesses += await fixture.GuessAsync(new SignInSource(GuardFixture.Address((int)(tick % 1000)), null), Email) ? 1 : 0;
            fixture.Clock.Advance(Step);
        }

        output.WriteLine($"guesses without the account lockout: {guesses}");
        Assert.True(guesses > 1000, guesses.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
