using System.Globalization;
using System.Net;
using Bastion.Abuse;

namespace Bastion.IntegrationTests.Abuse;

public sealed class RateBudgetTests
{
    private static Dictionary<string, string?> Budget(string name, int perMinute, int perHour, int perDay, int addressPerMinute = 0) => new()
    {
        ["Bastion:Abuse:RateLimits:Enabled"] = "true",
        [$"Bastion:Abuse:RateLimits:Budgets:{name}:PerMinute"] = Text(perMinute),
        [$"Bastion:Abuse:RateLimits:Budgets:{name}:PerHour"] = Text(perHour),
        [$"Bastion:Abuse:RateLimits:Budgets:{name}:PerDay"] = Text(perDay),
        [$"Bastion:Abuse:RateLimits:Budgets:{name}:Address:PerMinute"] = Text(addressPerMinute),
    };

    private static readonly Dictionary<string, string?> Defaults = new() { ["Bastion:Abuse:RateLimits:Enabled"] = "true" };

    [Fact]
    public async Task Me_PolledFasterThanASinglePageApp_IsNeverRefusedAtTheDefaults()
    {
        await using var host = await TestHost.StartAsync(Defaults);
        using var client = await SignedInAsync(host);

        // More than four a second for a minute: the old 50 an hour per route refused the 51st.
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 250; i++)
        {
            answers.Add(await client.Http.GetAsync("/api/auth/me"));
        }

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.Equal("300", answers[^1].Headers.GetValues("X-RateLimit-Limit").Single());
    }

    [Fact]
    public async Task ForgotPassword_FourthInAMinuteAtTheDefaults_IsRefused()
    {
        await using var host = await TestHost.StartAsync(Defaults);
        using var client = host.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/password/forgot", new { email = $"someone-{i}@example.com" }), HttpStatusCode.Accepted);
        }

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/password/forgot", new { email = "someone@example.com" }), HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Theory]
    [InlineData(3, 0, 3_500, 3_600)]                                             // the hour is full
    [InlineData(0, 3, 86_300, 86_400)]                                           // the day is full
    public async Task LongWindow_Full_RefusesWithItsLimitAndWait(int perHour, int perDay, int minWait, int maxWait)
    {
        await using var host = await TestHost.StartAsync(Budget(RateBudgets.Read, perMinute: 0, perHour, perDay));
        using var client = host.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/csrf"), HttpStatusCode.OK);
        }

        var refused = await client.Http.GetAsync("/api/auth/csrf");

        await TestClient.ExpectProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal("3", refused.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.InRange(RetryAfterSeconds(refused), minWait, maxWait);
    }

    [Fact]
    public async Task SignedInUsers_AreCountedEachOnTheirOwn()
    {
        await using var host = await TestHost.StartAsync(Budget(RateBudgets.Read, perMinute: 3, perHour: 0, perDay: 0));
        using var alice = await SignedInAsync(host);
        using var bob = await SignedInAsync(host);
        for (var i = 0; i < 3; i++)
        {
            await TestClient.ExpectAsync(await alice.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        }

        await TestClient.ExpectProblemAsync(await alice.Http.GetAsync("/api/auth/me"), HttpStatusCode.TooManyRequests, "rate_limited");
        await TestClient.ExpectAsync(await bob.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ARequestRefusedByOneWindow_IsNotCountedByTheOthers()
    {
        // Writes: 5 a minute per client, 9 a minute per address (this test's clients all come from loopback).
        await using var host = await TestHost.StartAsync(Budget(RateBudgets.Write, perMinute: 5, perHour: 0, perDay: 0, addressPerMinute: 9));
        using var bob = await SignedInAsync(host);
        using var anonymous = host.CreateClient();

        for (var i = 0; i < 9; i++)
        {
            using var malformed = new StringContent("{", System.Text.Encoding.UTF8, "application/json");
            var response = await anonymous.Http.PostAsync("/api/auth/refresh", malformed);
            Assert.Equal(i < 5 ? HttpStatusCode.BadRequest : HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        // The address counted the five that went through and Bob's, not the four the client's window refused (on
        // Redis, the permits this node had taken for them went back to its allotment): 3 left, fewer than Bob's 4.
        using var fromBob = new StringContent("{", System.Text.Encoding.UTF8, "application/json");
        var answer = await bob.Http.PostAsync("/api/auth/refresh", fromBob);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("9", answer.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("3", answer.Headers.GetValues("X-RateLimit-Remaining").Single());
    }

    private static async Task<TestClient> SignedInAsync(TestHost host)
    {
        var client = host.CreateClient();
        var email = $"budget-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        var tokens = await client.LoginForTokensAsync(email);
        client.UseBearer(tokens.GetProperty("access_token").GetString()!);
        return client;
    }

    private static int RetryAfterSeconds(HttpResponseMessage response)
        => int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
