using System.Net;

namespace Bastion.IntegrationTests.Protection;

public sealed class CsrfTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(
        new Dictionary<string, string?> { ["Bastion:Cors:AllowedOrigins:0"] = "https://app.example.com" },
        map: app => app.MapPost("/api/app/transfer", () => Microsoft.AspNetCore.Http.Results.Ok(new { done = true }))
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(Bastion.Sessions.SessionDefaults.AuthenticationScheme).RequireAuthenticatedUser()));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CookieAuthenticatedPost_WithoutToken_IsRefused()
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();

        await TestClient.ExpectProblemAsync(await client.Http.PostAsync("/api/account/sessions/revoke-others", null), HttpStatusCode.Forbidden, "csrf_failed");
        await TestClient.ExpectProblemAsync(await client.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.Forbidden, "csrf_failed");
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task CookieAuthenticatedPost_WithTokenFromAnotherSession_IsRefused()
    {
        using var attacker = _host.CreateClient();
        await attacker.SignUpAndLoginAsync();
        var attackerToken = await attacker.UseCsrfTokenAsync();
        using var victim = _host.CreateClient();
        var email = await victim.SignUpAndLoginAsync();

        victim.Http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", attackerToken);
        await TestClient.ExpectProblemAsync(await victim.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.Forbidden, "csrf_failed");

        // Same user, other session: a token is bound to the session it was issued in.
        using var sameUser = _host.CreateClient();
        await sameUser.LoginAsync(email);
        var otherSessionToken = await sameUser.UseCsrfTokenAsync();
        victim.Http.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        victim.Http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", otherSessionToken);
        await TestClient.ExpectProblemAsync(await victim.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.Forbidden, "csrf_failed");
    }

    [Fact]
    public async Task CookieAuthenticatedPost_WithTokenIssuedBeforeSignIn_IsRefused()
    {
        using var client = _host.CreateClient();
        var email = $"pre-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        await client.UseCsrfTokenAsync();
        await client.LoginAsync(email);

        await TestClient.ExpectProblemAsync(await client.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.Forbidden, "csrf_failed");
    }

    [Fact]
    public async Task CookieAuthenticatedPost_WithValidToken_Succeeds()
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();
        await client.UseCsrfTokenAsync();

        await TestClient.ExpectAsync(await client.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData("null", null)]
    [InlineData(null, "cross-site")]
    public async Task UnsafeRequest_FromAnotherOrigin_IsRefusedEvenWithAValidToken(string? origin, string? fetchSite)
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();
        await client.UseCsrfTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        await TestClient.ExpectProblemAsync(await client.Http.SendAsync(request), HttpStatusCode.Forbidden, "csrf_failed");
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnsafeRequest_FromAnAllowedCorsOrigin_IsAccepted()
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();
        await client.UseCsrfTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        await TestClient.ExpectAsync(await client.Http.SendAsync(request), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task LoginForm_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = _host.CreateClient();
        await client.RegisterAsync("form@example.com");

        var response = await client.PostFormAsync("/login", new Dictionary<string, string> { ["Input.Email"] = "form@example.com", ["Input.Password"] = TestClient.StrongPassword });

        await TestClient.ExpectProblemAsync(response, HttpStatusCode.Forbidden, "csrf_failed");
        Assert.Null(client.Cookie("bastion"));
    }

    [Fact]
    public async Task HostEndpoint_NamingTheSessionSchemeItself_StillRequiresTheToken()
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();

        await TestClient.ExpectProblemAsync(await client.Http.PostAsync("/api/app/transfer", null), HttpStatusCode.Forbidden, "csrf_failed");

        await client.UseCsrfTokenAsync();
        await TestClient.ExpectAsync(await client.Http.PostAsync("/api/app/transfer", null), HttpStatusCode.OK);
    }
}
