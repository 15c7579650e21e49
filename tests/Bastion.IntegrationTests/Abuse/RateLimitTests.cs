using System.Net;

namespace Bastion.IntegrationTests.Abuse;

public sealed class RateLimitTests
{
    // Reads (GET /api/auth/csrf here) limited per minute only, sign-in per minute per client and per address.
    private static Dictionary<string, string?> Limits(int apiPerMinute, int signInPerMinute = 1000, int maxLocalPermits = 64) => new()
    {
        ["Bastion:Abuse:RateLimits:MaxLocalPermits"] = Text(maxLocalPermits),
        ["Bastion:Abuse:RateLimits:Enabled"] = "true",
        ["Bastion:Abuse:RateLimits:Budgets:Read:PerMinute"] = Text(apiPerMinute),
        ["Bastion:Abuse:RateLimits:Budgets:Read:PerHour"] = "0",
        ["Bastion:Abuse:RateLimits:Budgets:Read:PerDay"] = "0",
        ["Bastion:Abuse:RateLimits:Budgets:SignIn:PerMinute"] = Text(signInPerMinute),
        ["Bastion:Abuse:RateLimits:Budgets:SignIn:PerHour"] = "0",
        ["Bastion:Abuse:RateLimits:Budgets:SignIn:PerDay"] = "0",
        ["Bastion:Abuse:RateLimits:Budgets:SignIn:Address:PerMinute"] = Text(signInPerMinute),
        ["Bastion:Abuse:RateLimits:Budgets:SignIn:Address:PerHour"] = "0",
        ["Bastion:Abuse:RateLimits:Budgets:SignIn:Address:PerDay"] = "0",
    };

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ApiLimit_UnderConcurrency_AllowsExactlyTheLimit()
    {
        await using var host = await TestHost.StartAsync(Limits(apiPerMinute: 10));
        using var client = host.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.Http.GetAsync("/api/auth/csrf")));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(20, refused.Count);
        foreach (var response in refused)
        {
            await TestClient.ExpectProblemAsync(response, HttpStatusCode.TooManyRequests, "rate_limited");
            Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
            Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        }
    }

    [Fact]
    public async Task Responses_CarryTheRateLimitHeaders()
    {
        await using var host = await TestHost.StartAsync(Limits(apiPerMinute: 10));
        using var client = host.CreateClient();

        var first = await client.Http.GetAsync("/api/auth/csrf");
        var second = await client.Http.GetAsync("/api/auth/csrf");

        Assert.Equal("10", first.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("9", first.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal("8", second.Headers.GetValues("X-RateLimit-Remaining").Single());
        var reset = long.Parse(first.Headers.GetValues("X-RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reset - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1, 61);
    }

    [Fact]
    public async Task SignIn_BeyondFivePerMinuteFromOneAddress_IsRefused()
    {
        await using var host = await TestHost.StartAsync(Limits(apiPerMinute: 1000, signInPerMinute: 5));
        using var client = host.CreateClient();
        await client.RegisterAsync("limited@example.com");

        for (var i = 0; i < 5; i++)
        {
            await client.LoginAsync("limited@example.com", "Wr0ng-Password!", HttpStatusCode.Unauthorized);
        }

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/login", new { email = "limited@example.com", password = TestClient.StrongPassword }),
            HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [ProductionStorageFact]
    public async Task ApiLimit_AcrossTwoNodes_CountsEveryRequestOnce()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using var nodeA = await TestHost.StartAsync(Limits(apiPerMinute: 10), storage);
        await using var nodeB = await TestHost.StartAsync(Limits(apiPerMinute: 10), storage);
        using var onA = nodeA.CreateClient();
        using var onB = nodeB.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => (i % 2 == 0 ? onA : onB).Http.GetAsync("/api/auth/csrf")));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
    }

    [ProductionStorageFact]
    public async Task ApiLimit_AcrossTwoNodes_TakingPermitsAhead_NeverLetsMoreThanTheLimitThrough()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using var nodeA = await TestHost.StartAsync(Limits(apiPerMinute: 200), storage);
        await using var nodeB = await TestHost.StartAsync(Limits(apiPerMinute: 200), storage);
        using var onA = nodeA.CreateClient();
        using var onB = nodeB.CreateClient();

        var allowed = 0;
        for (var round = 0; round < 30; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? onA : onB).Http.GetAsync("/api/auth/csrf")));
            allowed += responses.Count(r => r.StatusCode == HttpStatusCode.OK);
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        }

        // Never more than the limit; fewer only by what one node still holds unspent (at most a sixteenth of the
        // room left when it took them) once the other has used up the rest.
        Assert.InRange(allowed, 200 - (2 * (200 / 16)), 200);
    }

    [ProductionStorageFact]
    public async Task OneNode_TakingPermitsAhead_CountsThemInTheSharedStoreFirst_AndReportsItsOwnRequestsExactly()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using var nodeA = await TestHost.StartAsync(Limits(apiPerMinute: 1000), storage);
        await using var nodeB = await TestHost.StartAsync(Limits(apiPerMinute: 1000), storage);
        using var onA = nodeA.CreateClient();
        using var onB = nodeB.CreateClient();

        for (var i = 1; i <= 40; i++)
        {
            var response = await onA.Http.GetAsync("/api/auth/csrf");
            Assert.Equal((1000 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-RateLimit-Remaining").Single());
        }

        // Node B asks the store, whose count already includes the permits node A took ahead and has not spent.
        var fromB = await onB.Http.GetAsync("/api/auth/csrf");
        Assert.InRange(long.Parse(fromB.Headers.GetValues("X-RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture), 1000 - 41 - 64, 1000 - 41 - 1);
    }

    [ProductionStorageFact]
    public async Task WithOnePermitAtATime_EveryNodeReportsTheSharedCountExactly()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using var nodeA = await TestHost.StartAsync(Limits(apiPerMinute: 1000, maxLocalPermits: 1), storage);
        await using var nodeB = await TestHost.StartAsync(Limits(apiPerMinute: 1000, maxLocalPermits: 1), storage);
        using var onA = nodeA.CreateClient();
        using var onB = nodeB.CreateClient();

        for (var i = 1; i <= 10; i++)
        {
            var response = await (i % 2 == 0 ? onA : onB).Http.GetAsync("/api/auth/csrf");
            Assert.Equal((1000 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-RateLimit-Remaining").Single());
        }
    }
}
