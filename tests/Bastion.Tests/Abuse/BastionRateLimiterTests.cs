using Bastion.Abuse;

namespace Bastion.Tests.Abuse;

public sealed class BastionRateLimiterTests
{
    private static readonly Guid Alice = Guid.Parse("6f1c1d4e-0000-4000-8000-00000000a11c");
    private static readonly Guid Bob = Guid.Parse("6f1c1d4e-0000-4000-8000-000000000b0b");

    [Fact]
    public async Task Reads_AtSinglePageAppRates_AreNeverRefusedAllDay()
    {
        using var probe = new RateLimitProbe();

        // /api/auth/me every two seconds for 24 hours, and a burst of five other reads every minute.
        for (var second = 0; second < 24 * 60 * 60; second += 2)
        {
            Assert.True((await probe.SendAsync("GET", "/api/auth/me", RateBudgets.Read, Alice)).Allowed, $"refused at {second} s");
            if (second % 60 == 0)
            {
                for (var i = 0; i < 5; i++)
                {
                    Assert.True((await probe.SendAsync("GET", "/api/equipment/", user: Alice)).Allowed);
                }
            }

            probe.Clock.Advance(TimeSpan.FromSeconds(2));
        }
    }

    [Fact]
    public async Task SignIn_SixthAttemptInAMinute_IsRefusedUntilTheMinuteEnds()
    {
        using var probe = new RateLimitProbe();
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await probe.SendAsync("POST", "/api/auth/login", RateBudgets.SignIn)).Allowed);
        }

        var refused = await probe.SendAsync("POST", "/api/auth/login", RateBudgets.SignIn);

        Assert.False(refused.Allowed);
        Assert.Equal("5", refused.Limit);
        Assert.Equal("0", refused.Remaining);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task HourlyWindow_FullWhileTheMinuteHasRoom_RefusesUntilTheHourEnds()
    {
        using var probe = new RateLimitProbe(limits => limits.Budgets[RateBudgets.Read].Set(perMinute: 2, perHour: 5, perDay: 100));
        await SpendAsync(probe, "GET", 5, TimeSpan.FromMinutes(1));

        var refused = await probe.SendAsync("GET", "/api/reports/", user: Alice);
        probe.Clock.Advance(TimeSpan.FromMinutes(54));
        var stillRefused = await probe.SendAsync("GET", "/api/reports/", user: Alice);
        probe.Clock.Advance(TimeSpan.FromMinutes(1));
        var nextHour = await probe.SendAsync("GET", "/api/reports/", user: Alice);

        Assert.False(refused.Allowed);
        Assert.Equal("5", refused.Limit);
        Assert.Equal(TimeSpan.FromMinutes(55), refused.RetryAfter);
        Assert.False(stillRefused.Allowed);
        Assert.True(nextHour.Allowed);
    }

    [Fact]
    public async Task DailyWindow_FullWhileTheHourHasRoom_RefusesUntilTheDayEnds()
    {
        using var probe = new RateLimitProbe(limits => limits.Budgets[RateBudgets.Write].Set(perMinute: 10, perHour: 10, perDay: 12));
        await SpendAsync(probe, "POST", 12, TimeSpan.FromHours(1));

        var refused = await probe.SendAsync("POST", "/api/reports/", user: Alice);
        probe.Clock.Advance(TimeSpan.FromHours(12));
        var nextDay = await probe.SendAsync("POST", "/api/reports/", user: Alice);

        Assert.False(refused.Allowed);
        Assert.Equal("12", refused.Limit);
        Assert.Equal(TimeSpan.FromHours(12), refused.RetryAfter);
        Assert.True(nextDay.Allowed);
    }

    [Fact]
    public async Task DayAndMinuteBothFull_RetryAfterNamesTheDay()
    {
        using var probe = new RateLimitProbe(limits => limits.Budgets[RateBudgets.Write].Set(perMinute: 3, perHour: 3, perDay: 3));
        for (var i = 0; i < 3; i++)
        {
            await probe.SendAsync("POST", "/api/reports/", user: Alice);
        }

        var refused = await probe.SendAsync("POST", "/api/reports/", user: Alice);

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromDays(1), refused.RetryAfter);
    }

    [Fact]
    public async Task Users_AreCountedSeparately_AndTheAddressWindowHoldsThemTogether()
    {
        using var probe = new RateLimitProbe(limits =>
        {
            limits.Budgets[RateBudgets.Mail].Set(perMinute: 2, perHour: 2, perDay: 2);
            limits.Budgets[RateBudgets.Mail].Address.Set(perMinute: 3, perHour: 3, perDay: 3);
        });

        var alice = new[] { await probe.SendAsync("POST", "/api/auth/email/resend", RateBudgets.Mail, Alice), await probe.SendAsync("POST", "/api/auth/email/resend", RateBudgets.Mail, Alice) };
        var bob = await probe.SendAsync("POST", "/api/auth/email/resend", RateBudgets.Mail, Bob);
        var bobAgain = await probe.SendAsync("POST", "/api/auth/email/resend", RateBudgets.Mail, Bob);
        var bobElsewhere = await probe.SendAsync("POST", "/api/auth/email/resend", RateBudgets.Mail, Bob, address: "198.51.100.9");

        Assert.All(alice, answer => Assert.True(answer.Allowed));
        Assert.True(bob.Allowed);                                                    // Bob's own count is not Alice's
        Assert.False(bobAgain.Allowed);                                              // but their address has had three
        Assert.Equal("3", bobAgain.Limit);
        Assert.True(bobElsewhere.Allowed);
    }

    [Fact]
    public async Task Budgets_AreCountedApart_SoReadsDoNotSpendTheSignInBudget()
    {
        using var probe = new RateLimitProbe();
        for (var i = 0; i < 50; i++)
        {
            await probe.SendAsync("GET", "/api/auth/csrf");
        }

        Assert.True((await probe.SendAsync("POST", "/api/auth/login", RateBudgets.SignIn)).Allowed);
    }

    [Fact]
    public async Task UndeclaredEndpoint_SpendsReadForGetAndWriteOtherwise()
    {
        using var probe = new RateLimitProbe(limits =>
        {
            limits.Budgets[RateBudgets.Read].Set(perMinute: 7, perHour: 0, perDay: 0);
            limits.Budgets[RateBudgets.Write].Set(perMinute: 3, perHour: 0, perDay: 0);
        });

        Assert.Equal("7", (await probe.SendAsync("GET", "/api/reports/")).Limit);
        Assert.Equal("3", (await probe.SendAsync("DELETE", "/api/reports/{id}")).Limit);
    }

    [Fact]
    public async Task ConfiguredRoute_MovesTheEndpointToAnotherBudget()
    {
        using var probe = new RateLimitProbe(limits =>
        {
            limits.Budgets["Export"] = RateBudgetOptions.Of(1, 1, 1);
            limits.Routes.Add(new RateRouteOptions { Match = "GET /api/equipment/export", Budget = "Export" });
        });

        Assert.True((await probe.SendAsync("GET", "/api/equipment/export", user: Alice)).Allowed);
        Assert.False((await probe.SendAsync("GET", "/api/equipment/export", user: Alice)).Allowed);
        Assert.True((await probe.SendAsync("POST", "/api/equipment/export", user: Alice)).Allowed);
    }

    // Sends requests that must all be let through, one every so often.
    private static async Task SpendAsync(RateLimitProbe probe, string method, int requests, TimeSpan every)
    {
        for (var i = 0; i < requests; i++)
        {
            Assert.True((await probe.SendAsync(method, "/api/reports/", user: Alice)).Allowed, $"request {i + 1} refused");
            probe.Clock.Advance(every);
        }
    }
}
