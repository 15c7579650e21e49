using System.Net;

namespace Bastion.IntegrationTests.Sessions;

public sealed class TrustedProxyTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(
        new Dictionary<string, string?> { ["Bastion:Network:TrustedProxies:0"] = "127.0.0.1", ["Bastion:Network:TrustedProxies:1"] = "10.0.0.0/8" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ForwardedFor_ThroughTwoTrustedProxies_IsTheClientAddress()
    {
        using var client = _host.CreateClient();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.8, 10.1.1.1");
        await client.SignUpAndLoginAsync();

        var sessions = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK);

        Assert.Equal("203.0.113.8", sessions[0].GetProperty("ipAddress").GetString());
    }

    [Fact]
    public async Task ForwardedFor_FromATrustedProxy_IsTheClientAddress()
    {
        using var client = _host.CreateClient();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        await client.SignUpAndLoginAsync();

        var sessions = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK);

        Assert.Equal("203.0.113.7", sessions[0].GetProperty("ipAddress").GetString());
    }

    [Fact]
    public async Task ForwardedFor_ChainThroughAnUnknownHop_StopsAtTheFirstUntrustedAddress()
    {
        using var client = _host.CreateClient();

        // Two proxies are trusted (loopback, then 10.1.1.1); 198.51.100.9 is not, so what it claims — the spoofed
        // first entry — is not believed, however many entries the chain has.
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.66, 198.51.100.9, 10.1.1.1");
        await client.SignUpAndLoginAsync();

        var sessions = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK);

        Assert.Equal("198.51.100.9", sessions[0].GetProperty("ipAddress").GetString());
    }
}
