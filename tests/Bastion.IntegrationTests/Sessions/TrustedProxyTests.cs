using System.Net;

namespace Bastion.IntegrationTests.Sessions;

public sealed class TrustedProxyTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(
        new Dictionary<string, string?> { ["Bastion:Network:TrustedProxies:0"] = "127.0.0.1" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

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

        // 198.51.100.9 is not a trusted proxy, so what it claims (the spoofed first entry) is not believed.
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "10.9.9.9, 198.51.100.9");
        await client.SignUpAndLoginAsync();

        var sessions = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK);

        Assert.Equal("198.51.100.9", sessions[0].GetProperty("ipAddress").GetString());
    }
}
