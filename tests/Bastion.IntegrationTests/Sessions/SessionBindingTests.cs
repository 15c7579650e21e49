using System.Net;

namespace Bastion.IntegrationTests.Sessions;

public sealed class SessionBindingTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(
        new Dictionary<string, string?> { ["Bastion:Sessions:BindToUserAgent"] = "true", ["Bastion:Sessions:BindToIpAddress"] = "true" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Session_UsedWithAnotherUserAgent_IsEndedForEveryone()
    {
        using var victim = _host.CreateClient();
        victim.Http.DefaultRequestHeaders.UserAgent.ParseAdd("VictimBrowser/1.0");
        await victim.SignUpAndLoginAsync();
        using var thief = _host.CreateClient();
        thief.Http.DefaultRequestHeaders.UserAgent.ParseAdd("ThiefBrowser/2.0");
        thief.Cookies.Add(_host.Address, new Cookie("bastion", victim.Cookie("bastion")!.Value));

        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.Http.GetAsync("/api/auth/me")).StatusCode);

        // Hijack detection ends the session itself, so the stolen cookie is worthless from then on.
        Assert.Equal(HttpStatusCode.Unauthorized, (await victim.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Session_UsedFromAnotherAddress_IsEndedForEveryone()
    {
        using var victim = _host.CreateClient();
        victim.Http.DefaultRequestHeaders.UserAgent.ParseAdd("SharedBrowser/1.0");
        await victim.SignUpAndLoginAsync();

        // The same browser string from another machine: only the address tells the thief apart.
        using var thief = _host.CreateClient(from: IPAddress.Parse("127.0.0.2"));
        thief.Http.DefaultRequestHeaders.UserAgent.ParseAdd("SharedBrowser/1.0");
        await thief.SignUpAndLoginAsync();
        var own = await TestClient.ExpectAsync(await thief.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK);
        Assert.Equal("127.0.0.2", own[0].GetProperty("ipAddress").GetString());
        thief.Cookies.Add(_host.Address, new Cookie("bastion", victim.Cookie("bastion")!.Value));

        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.Http.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await victim.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Session_UsedFromTheSameClient_Continues()
    {
        using var client = _host.CreateClient();
        client.Http.DefaultRequestHeaders.UserAgent.ParseAdd("SameBrowser/1.0");
        await client.SignUpAndLoginAsync();

        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ForwardedFor_FromAnUntrustedPeer_IsIgnored()
    {
        using var client = _host.CreateClient();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        await client.SignUpAndLoginAsync();

        var sessions = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK);

        Assert.Equal("127.0.0.1", sessions[0].GetProperty("ipAddress").GetString());
    }
}
