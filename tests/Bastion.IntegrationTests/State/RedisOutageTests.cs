using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Bastion.IntegrationTests.State;

/// <summary>
/// A Redis restart while requests are running costs requests only for as long as Redis is away: commands wait
/// for the reconnection up to the connect timeout (2 s here), then answer 503; none answers 500.
/// </summary>
public sealed class RedisOutageTests
{
    [ProductionStorageFact]
    public async Task RedisRestart_DuringRequests_Answers503MeanwhileAndRecoversWithoutRestartingTheServer()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var host = await StartOnAsync(redis);
        using var client = host.CreateClient();
        await client.SignUpAndLoginAsync();

        var statuses = new ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                statuses.Add((await client.Http.GetAsync("/api/auth/me")).StatusCode);
            }
        });

        await Task.Delay(300);
        await redis.StopAsync();
        await Task.Delay(3000);
        await redis.StartAsync();
        var restarted = Stopwatch.StartNew();

        // After Redis is back, the same session works again within a couple of reconnect intervals.
        HttpStatusCode status;
        do
        {
            status = (await client.Http.GetAsync("/api/auth/me")).StatusCode;
        }
        while (status != HttpStatusCode.OK && restarted.Elapsed < TimeSpan.FromSeconds(5));

        await stop.CancelAsync();
        await load;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(5), $"Recovered only after {restarted.Elapsed}.");
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
    }

    [ProductionStorageFact]
    public async Task RedisDown_ApiAndPages_Answer503WithRetryAfterAndKeepTheSession()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var host = await StartOnAsync(redis);
        using var browser = host.CreateClient();
        var email = await browser.SignUpAndLoginAsync();

        await redis.StopAsync();

        // The session cannot be read, which is neither "signed out" (a redirect to /login, a deleted cookie) nor
        // "signed in": the answer is 503 and the cookie stays.
        await OutageAssert.ServiceUnavailableAsync(await browser.Http.GetAsync("/api/auth/me"), "who am I");
        await OutageAssert.ServiceUnavailableAsync(await browser.Http.SendAsync(OutageAssert.PageRequest("/account")), "account page");
        await OutageAssert.ServiceUnavailableAsync(await browser.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword, useCookie = true }), "sign-in");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await browser.Http.GetAsync("/health/ready")).StatusCode);
        Assert.NotNull(browser.Cookie("bastion"));

        await redis.StartAsync();
        var restarted = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await browser.Http.GetAsync("/api/auth/me")).StatusCode;
        }
        while (status != HttpStatusCode.OK && restarted.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static Task<TestHost> StartOnAsync(RedisServerProcess redis) => TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Bastion:State:Redis"] = redis.Configuration,
        ["Bastion:State:KeyPrefix"] = "outage:",
    });
}
