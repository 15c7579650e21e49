using System.Net;

namespace Bastion.IntegrationTests.Abuse;

public sealed class CorsTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(
        new Dictionary<string, string?> { ["Bastion:Cors:AllowedOrigins:0"] = "https://app.example.com" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Preflight_FromAnAllowedOrigin_IsAnsweredWithCredentials()
    {
        using var client = _host.CreateClient();
        var response = await client.Http.SendAsync(Preflight("https://app.example.com"));

        Assert.Equal("https://app.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Contains("X-CSRF-TOKEN", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://app.example.com.evil.example")]
    [InlineData("http://app.example.com")]
    [InlineData("null")]
    public async Task AnUnknownOrigin_IsNeverReflected(string origin)
    {
        using var client = _host.CreateClient();
        var preflight = await client.Http.SendAsync(Preflight(origin));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/csrf");
        request.Headers.Add("Origin", origin);
        var simple = await client.Http.SendAsync(request);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(simple.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(simple.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/auth/login");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-csrf-token");
        return request;
    }
}
