using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bastion.IntegrationTests.Sessions;

public sealed class SessionTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(
        new Dictionary<string, string?> { ["Bastion:Sessions:IdleTimeout"] = "00:30:00", ["Bastion:Sessions:AbsoluteLifetime"] = "02:00:00" },
        configure: builder => builder.Services.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Login_WithPlantedSessionCookie_IssuesANewIdAndThePlantedOneStaysAnonymous()
    {
        using var client = _host.CreateClient();
        var email = $"fix-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        var planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        client.Cookies.Add(_host.Address, new Cookie("bastion", planted));

        await client.LoginAsync(email);

        Assert.NotEqual(planted, client.Cookie("bastion")!.Value);
        using var attacker = _host.CreateClient();
        attacker.Cookies.Add(_host.Address, new Cookie("bastion", planted));
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Login_WhileSignedIn_EndsThePreviousSession()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpAndLoginAsync();
        var first = client.Cookie("bastion")!.Value;
        await client.UseCsrfTokenAsync();

        await client.LoginAsync(email);

        Assert.NotEqual(first, client.Cookie("bastion")!.Value);
        using var stale = _host.CreateClient();
        stale.Cookies.Add(_host.Address, new Cookie("bastion", first));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stale.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Logout_DestroysTheServerSideSession()
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();
        var value = client.Cookie("bastion")!.Value;
        await client.UseCsrfTokenAsync();

        await TestClient.ExpectAsync(await client.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.NoContent);

        // Replaying the old cookie value after logout must not work: the session is gone on the server.
        using var replay = _host.CreateClient();
        replay.Cookies.Add(_host.Address, new Cookie("bastion", value));
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Session_UnusedForLongerThanIdleTimeout_Ends()
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();

        _time.Advance(TimeSpan.FromMinutes(20));
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        _time.Advance(TimeSpan.FromMinutes(20));
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        _time.Advance(TimeSpan.FromMinutes(31));

        await TestClient.ExpectProblemAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Session_PastAbsoluteLifetime_EndsEvenWhenActive()
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();

        for (var i = 0; i < 7; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(16));
            await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Sessions_ListShowsEachSignInAndMarksTheCurrentOne()
    {
        using var laptop = _host.CreateClient();
        var email = await laptop.SignUpAndLoginAsync();
        using var phone = _host.CreateClient();
        await phone.LoginAsync(email);

        var sessions = await TestClient.ExpectAsync(await laptop.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK);

        Assert.Equal(2, sessions.GetArrayLength());
        Assert.Single(sessions.EnumerateArray(), s => s.GetProperty("current").GetBoolean());
        Assert.All(sessions.EnumerateArray(), s => Assert.NotEqual(laptop.Cookie("bastion")!.Value, s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task DeleteSession_OfAnotherUser_Answers404AndLeavesItAlive()
    {
        using var victim = _host.CreateClient();
        await victim.SignUpAndLoginAsync();
        var victimSession = (await TestClient.ExpectAsync(await victim.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK))[0].GetProperty("id").GetString();
        using var attacker = _host.CreateClient();
        await attacker.SignUpAndLoginAsync();
        await attacker.UseCsrfTokenAsync();

        await TestClient.ExpectProblemAsync(await attacker.Http.DeleteAsync($"/api/account/sessions/{victimSession}"), HttpStatusCode.NotFound, "not_found");

        await TestClient.ExpectAsync(await victim.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeleteSession_OfOwnOtherDevice_EndsIt()
    {
        using var laptop = _host.CreateClient();
        var email = await laptop.SignUpAndLoginAsync();
        using var phone = _host.CreateClient();
        await phone.LoginAsync(email);
        await laptop.UseCsrfTokenAsync();
        var other = (await TestClient.ExpectAsync(await laptop.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK))
            .EnumerateArray().Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();

        await TestClient.ExpectAsync(await laptop.Http.DeleteAsync($"/api/account/sessions/{other}"), HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.Http.GetAsync("/api/auth/me")).StatusCode);
        await TestClient.ExpectAsync(await laptop.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokeOthers_EndsEverySessionButTheCurrent()
    {
        using var laptop = _host.CreateClient();
        var email = await laptop.SignUpAndLoginAsync();
        using var phone = _host.CreateClient();
        await phone.LoginAsync(email);
        using var tablet = _host.CreateClient();
        await tablet.LoginAsync(email);
        await laptop.UseCsrfTokenAsync();

        var body = await TestClient.ExpectAsync(await laptop.Http.PostAsync("/api/account/sessions/revoke-others", null), HttpStatusCode.OK);

        Assert.Equal(2, body.GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.Http.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tablet.Http.GetAsync("/api/auth/me")).StatusCode);
        await TestClient.ExpectAsync(await laptop.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokedSession_UsedConcurrentlyDuringTheRevocation_StaysEnded()
    {
        // Activity is written on every request here, so revocations race the activity write as often as possible.
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bastion:Sessions:ActivityUpdateInterval"] = "00:00:00" });
        using var raw = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.Address };
        for (var round = 0; round < 10; round++)
        {
            using var victim = host.CreateClient();
            var email = await victim.SignUpAndLoginAsync();
            var cookie = "bastion=" + victim.Cookie("bastion")!.Value;
            using var owner = host.CreateClient();
            await owner.LoginAsync(email);
            await owner.UseCsrfTokenAsync();
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await MeAsync(raw, cookie);
                }
            })).ToList();

            await Task.Delay(20);
            await TestClient.ExpectAsync(await owner.Http.PostAsync("/api/account/sessions/revoke-others", null), HttpStatusCode.OK);
            await Task.Delay(50);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(raw, cookie));
        }
    }

    [Fact]
    public async Task SignIn_BeyondTheSessionCap_EndsTheOldestSession()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bastion:Sessions:MaxSessionsPerUser"] = "2" });
        using var first = host.CreateClient();
        var email = await first.SignUpAndLoginAsync();
        using var second = host.CreateClient();
        await second.LoginAsync(email);
        using var third = host.CreateClient();
        await third.LoginAsync(email);

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.Http.GetAsync("/api/auth/me")).StatusCode);
        var sessions = await TestClient.ExpectAsync(await third.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK);
        Assert.Equal(2, sessions.GetArrayLength());
        await TestClient.ExpectAsync(await second.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    private static async Task<HttpStatusCode> MeAsync(HttpClient raw, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie);
        using var response = await raw.SendAsync(request);
        return response.StatusCode;
    }
}
