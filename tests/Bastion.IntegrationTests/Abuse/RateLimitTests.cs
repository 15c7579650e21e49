using System.Net;

namespace Bastion.IntegrationTests.Abuse;

public sealed class RateLimitTests
{
    private static Dictionary<string, string?> Limits(int apiPerMinute, int signInPerMinute = 1000, int maxLocalPermits = 64) => new()
    {
        ["Bastion:Abuse:RateLimits:MaxLocalPermits"] = maxLocalPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bastion:Abuse:RateLimits:Enabled"] = "true",
        ["Bastion:Abuse:RateLimits:ApiPerMinute"] = apiPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bastion:Abuse:RateLimits:SignInPerMinute"] = signInPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Bastion:Abuse:RateLimits:PerEndpointPerHour"] = "100000",
        ["Bastion:Abuse:RateLimits:PerEndpointPerDay"] = "100000",
    };

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

    [Fact]
    public async Task ARequestRefusedByOneRule_IsNotCountedByTheOthers()
    {
        await using var host = await TestHost.StartAsync(Limits(apiPerMinute: 1000, signInPerMinute: 5));
        using var client = host.CreateClient();
        static long Remaining(HttpResponseMessage response) => long.Parse(response.Headers.GetValues("X-RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var before = Remaining(await client.Http.GetAsync("/api/auth/csrf"));

        // Malformed sign-ins: counted by the sign-in rule (5 a minute) and the API rule, never by the lockout.
        for (var i = 0; i < 9; i++)
        {
            using var malformed = new StringContent("{", System.Text.Encoding.UTF8, "application/json");
            var response = await client.Http.PostAsync("/api/auth/login", malformed);
            Assert.Equal(i < 5 ? HttpStatusCode.BadRequest : HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        // The API rule counted the five that went through and this one, not the four the sign-in rule refused (on
        // Redis, the permits this node had taken for them went back to its allotment).
        Assert.Equal(before - 6, Remaining(await client.Http.GetAsync("/api/auth/csrf")));
    }
}
