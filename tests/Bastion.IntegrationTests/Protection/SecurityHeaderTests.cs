using System.Net;

namespace Bastion.IntegrationTests.Protection;

public sealed class SecurityHeaderTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/login")]
    [InlineData("/api/auth/me")]
    [InlineData("/css/site.css")]
    [InlineData("/does-not-exist")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var client = _host.CreateClient();
        var response = await client.Http.GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9_-]{22}'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData("{bad json", "invalid_request")]
    [InlineData("{\"email\":\"a@example.com\",\"role\":\"admin\"}", "unknown_field")]
    public async Task ErrorResponses_KeepTheSecurityHeaders(string body, string code)
    {
        using var client = _host.CreateClient();
        var response = await client.PostRawJsonAsync("/api/auth/login", body);

        await TestClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CspNonce_IsFreshOnEveryResponse()
    {
        using var client = _host.CreateClient();
        var first = (await client.Http.GetAsync("/login")).Headers.GetValues("Content-Security-Policy").Single();
        var second = (await client.Http.GetAsync("/login")).Headers.GetValues("Content-Security-Policy").Single();

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task AuthenticatedResponses_AreNeverCached()
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();

        var page = await client.Http.GetAsync("/account");
        var api = await client.Http.GetAsync("/api/auth/me");

        Assert.Contains("no-store", page.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Contains("no-store", api.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_AnswersProblemJson404()
    {
        using var client = _host.CreateClient();
        await TestClient.ExpectProblemAsync(await client.Http.GetAsync("/api/nothing-here"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task WrongMethod_AnswersProblemJson405()
    {
        using var client = _host.CreateClient();
        await TestClient.ExpectProblemAsync(await client.Http.PutAsync("/api/auth/login", null), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task Health_LiveAndReady_AnswerHealthy()
    {
        using var client = _host.CreateClient();
        Assert.Equal("Healthy", await client.Http.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await client.Http.GetStringAsync("/health/ready"));
    }
}
