using System.Net;
using System.Text.Json;

namespace Bastion.IntegrationTests.Tokens;

public sealed class TokenFlowTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<(JsonElement Tokens, string Email)> SignInForTokensAsync(TestClient client)
    {
        var email = $"api-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        return (await client.LoginForTokensAsync(email), email);
    }

    [Fact]
    public async Task Login_ForAnApiClient_ReturnsAnOAuthTokenResponseAndNoCookie()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);

        Assert.Equal("Bearer", JwtParts.Text(tokens, "token_type"));
        Assert.Equal(900, tokens.GetProperty("expires_in").GetInt32());
        Assert.Equal("api", JwtParts.Text(tokens, "scope"));
        Assert.Equal(43, JwtParts.Text(tokens, "refresh_token").Length);
        Assert.Null(client.Cookie("bastion"));
    }

    [Fact]
    public async Task AccessToken_FollowsTheJwtProfileForAccessTokens()
    {
        using var client = _host.CreateClient();
        var (tokens, email) = await SignInForTokensAsync(client);
        var jwt = JwtParts.Text(tokens, "access_token");

        var header = JwtParts.Header(jwt);
        var payload = JwtParts.Payload(jwt);

        Assert.Equal("at+jwt", (string?)header["typ"]);
        Assert.Equal("RS256", (string?)header["alg"]);
        Assert.False(string.IsNullOrEmpty((string?)header["kid"]));
        Assert.Equal("bastion", (string?)payload["iss"]);
        Assert.Equal("bastion-api", (string?)payload["aud"]);
        Assert.Equal(email, (string?)payload["email"]);
        foreach (var claim in new[] { "sub", "iat", "nbf", "exp", "jti", "sid", "scope", "client_id", "roles", "amr" })
        {
            Assert.True(payload.ContainsKey(claim), $"missing {claim}");
        }

        Assert.Equal(900, (long)payload["exp"]! - (long)payload["iat"]!);
        var jwks = await TestClient.ExpectAsync(await client.Http.GetAsync("/.well-known/jwks.json"), HttpStatusCode.OK);
        Assert.Contains(jwks.GetProperty("keys").EnumerateArray(), k => JwtParts.Text(k, "kid") == (string?)header["kid"]);
        Assert.All(jwks.GetProperty("keys").EnumerateArray(), k => Assert.False(k.TryGetProperty("d", out _)));
    }

    [Fact]
    public async Task BearerToken_AuthenticatesEveryEndpointAndIsExemptFromCsrf()
    {
        using var client = _host.CreateClient();
        var (tokens, email) = await SignInForTokensAsync(client);
        client.UseBearer(JwtParts.Text(tokens, "access_token"));

        var me = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Equal(email, JwtParts.Text(me, "email"));
        Assert.Equal(["pwd"], me.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));

        // No CSRF token, no cookie: an unsafe request with a bearer token is accepted.
        await TestClient.ExpectAsync(await client.Http.PostAsync("/api/account/sessions/revoke-others", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task BearerToken_AcceptedBefore_IsRefusedOnceItExpires()
    {
        // The first request remembers the validated token; the clock is still checked on every later one.
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        client.UseBearer(JwtParts.Text(tokens, "access_token"));
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        _time.Advance(TimeSpan.FromMinutes(14));
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);

        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(31));

        await TestClient.ExpectProblemAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_expired");
    }

    [Fact]
    public async Task BearerToken_AcceptedBefore_IsRefusedOnceRevoked()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        client.UseBearer(JwtParts.Text(tokens, "access_token"));
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        using var thief = _host.CreateClient();
        thief.UseBearer(JwtParts.Text(tokens, "access_token"));

        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/logout", new { }), HttpStatusCode.NoContent);

        await TestClient.ExpectProblemAsync(await thief.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
    }

    [Fact]
    public async Task Refresh_RotatesTheRefreshTokenAndSpendsTheOldOne()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        var first = JwtParts.Text(tokens, "refresh_token");

        var next = await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = first }), HttpStatusCode.OK);

        Assert.NotEqual(first, JwtParts.Text(next, "refresh_token"));
        Assert.NotEqual(JwtParts.Text(tokens, "access_token"), JwtParts.Text(next, "access_token"));
        Assert.Equal((string?)JwtParts.Payload(JwtParts.Text(tokens, "access_token"))["sid"], (string?)JwtParts.Payload(JwtParts.Text(next, "access_token"))["sid"]);
        client.UseBearer(JwtParts.Text(next, "access_token"));
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_WithASpentToken_RevokesTheWholeFamily()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        var stolen = JwtParts.Text(tokens, "refresh_token");
        var legitimate = await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = stolen }), HttpStatusCode.OK);
        _time.Advance(TimeSpan.FromSeconds(11));

        // The thief replays the spent token: refused, and everything descending from that sign-in dies.
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = stolen }), HttpStatusCode.Unauthorized, "refresh_reused");

        await TestClient.ExpectProblemAsync(
            await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(legitimate, "refresh_token") }),
            HttpStatusCode.Unauthorized, "token_revoked");
        client.UseBearer(JwtParts.Text(legitimate, "access_token"));
        var response = await client.Http.GetAsync("/api/auth/me");
        await TestClient.ExpectProblemAsync(response, HttpStatusCode.Unauthorized, "token_revoked");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_ConcurrentlyWithOneToken_SpendsItOnceAndAnswersEveryCallWithTheSameSuccessor()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        var token = JwtParts.Text(tokens, "refresh_token");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.PostJsonAsync("/api/auth/refresh", new { refresh_token = token })));

        // The token is spent once; the duplicates are retries of the same refresh and get the same successor, so
        // whichever answer the client keeps, the family goes on.
        var successors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var response in responses)
        {
            successors.Add(JwtParts.Text(await TestClient.ExpectAsync(response, HttpStatusCode.OK), "refresh_token"));
        }

        var successor = Assert.Single(successors);
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = successor }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_RetriedWithinTheWindowBecauseTheAnswerWasLost_ReturnsTheSameSuccessorAndKeepsTheFamily()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        var token = JwtParts.Text(tokens, "refresh_token");
        var lost = await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = token }), HttpStatusCode.OK);
        _time.Advance(TimeSpan.FromSeconds(9));

        var retried = await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = token }), HttpStatusCode.OK);

        Assert.Equal(JwtParts.Text(lost, "refresh_token"), JwtParts.Text(retried, "refresh_token"));
        Assert.NotEqual(JwtParts.Text(lost, "access_token"), JwtParts.Text(retried, "access_token"));
        client.UseBearer(JwtParts.Text(retried, "access_token"));
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(retried, "refresh_token") }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_RetriedAfterTheSuccessorWasUsed_IsReuseAndRevokesTheFamily()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        var token = JwtParts.Text(tokens, "refresh_token");
        var next = await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = token }), HttpStatusCode.OK);
        var after = await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(next, "refresh_token") }), HttpStatusCode.OK);

        // Inside the window, but the chain has moved on: only a copy of the token can be presenting it now.
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = token }), HttpStatusCode.Unauthorized, "refresh_reused");

        await TestClient.ExpectProblemAsync(
            await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(after, "refresh_token") }), HttpStatusCode.Unauthorized, "token_revoked");
    }

    [Fact]
    public async Task Refresh_AThiefInsideTheWindow_GetsOnlyTheOwnersSuccessor_AndIsCaughtOnceTheChainsPart()
    {
        using var owner = _host.CreateClient();
        using var thief = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(owner);
        var stolen = JwtParts.Text(tokens, "refresh_token");
        var owners = await TestClient.ExpectAsync(await owner.PostJsonAsync("/api/auth/refresh", new { refresh_token = stolen }), HttpStatusCode.OK);

        // Inside the window the thief cannot be told from a retry: it gets the owner's successor, not a chain of its own.
        var thiefs = await TestClient.ExpectAsync(await thief.PostJsonAsync("/api/auth/refresh", new { refresh_token = stolen }), HttpStatusCode.OK);
        Assert.Equal(JwtParts.Text(owners, "refresh_token"), JwtParts.Text(thiefs, "refresh_token"));

        // The owner moves on; the thief's copy of the successor, presented once the window has passed, is reuse.
        var ownersNext = await TestClient.ExpectAsync(await owner.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(owners, "refresh_token") }), HttpStatusCode.OK);
        _time.Advance(TimeSpan.FromSeconds(11));
        await TestClient.ExpectProblemAsync(
            await thief.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(thiefs, "refresh_token") }), HttpStatusCode.Unauthorized, "refresh_reused");

        thief.UseBearer(JwtParts.Text(thiefs, "access_token"));
        await TestClient.ExpectProblemAsync(await thief.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
        await TestClient.ExpectProblemAsync(
            await owner.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(ownersNext, "refresh_token") }), HttpStatusCode.Unauthorized, "token_revoked");
    }

    [Fact]
    public async Task Refresh_WhenItsAuditEntryCannotBeWritten_SpendsNothing_AndTheRetryWorks()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        var token = JwtParts.Text(tokens, "refresh_token");
        await using (await _host.RefuseAuditEntriesAsync())
        {
            var failed = await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = token });
            Assert.True((int)failed.StatusCode >= 500, $"expected the refresh to fail, got {(int)failed.StatusCode}");
        }

        // Nothing of the failed refresh was kept: the token is unspent, so the retry is a first use, not a reuse.
        _time.Advance(TimeSpan.FromMinutes(1));
        var next = await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = token }), HttpStatusCode.OK);
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(next, "refresh_token") }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_AfterTheRefreshTokenLifetimeUnused_AnswersTokenExpired()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);

        _time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(tokens, "refresh_token") }),
            HttpStatusCode.Unauthorized, "token_expired");
    }

    [Fact]
    public async Task Refresh_KeptActive_StopsAtTheFamilyLifetime()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        var refresh = JwtParts.Text(tokens, "refresh_token");

        // Used every six days, well within the 7-day inactivity limit: fine for four rounds (24 days)...
        for (var round = 0; round < 4; round++)
        {
            _time.Advance(TimeSpan.FromDays(6));
            refresh = JwtParts.Text(await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = refresh }), HttpStatusCode.OK), "refresh_token");
        }

        // ...but not past the 30 days since sign-in.
        _time.Advance(TimeSpan.FromDays(6) + TimeSpan.FromSeconds(1));
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = refresh }), HttpStatusCode.Unauthorized, "token_expired");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("' OR 1=1 --")]
    public async Task Refresh_WithAnUnknownToken_AnswersTokenInvalid(string token)
    {
        using var client = _host.CreateClient();
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = token }), HttpStatusCode.Unauthorized, "token_invalid");
    }

    [Fact]
    public async Task Logout_WithBearer_RevokesTheAccessTokenAndItsRefreshFamily()
    {
        using var client = _host.CreateClient();
        var (tokens, _) = await SignInForTokensAsync(client);
        client.UseBearer(JwtParts.Text(tokens, "access_token"));

        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/logout", new { refresh_token = JwtParts.Text(tokens, "refresh_token") }), HttpStatusCode.NoContent);

        await TestClient.ExpectProblemAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
        await TestClient.ExpectProblemAsync(
            await client.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(tokens, "refresh_token") }),
            HttpStatusCode.Unauthorized, "token_revoked");
    }

    [Fact]
    public async Task Logout_WithSomeoneElsesRefreshToken_LeavesTheirFamilyAlone()
    {
        using var victim = _host.CreateClient();
        var (victimTokens, _) = await SignInForTokensAsync(victim);
        using var attacker = _host.CreateClient();
        var (attackerTokens, _) = await SignInForTokensAsync(attacker);
        attacker.UseBearer(JwtParts.Text(attackerTokens, "access_token"));

        await TestClient.ExpectAsync(await attacker.PostJsonAsync("/api/auth/logout", new { refresh_token = JwtParts.Text(victimTokens, "refresh_token") }), HttpStatusCode.NoContent);

        await TestClient.ExpectAsync(await victim.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(victimTokens, "refresh_token") }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task PasswordChange_EndsEveryOtherSessionAndEveryTokenFamily()
    {
        using var browser = _host.CreateClient();
        var email = await browser.SignUpAndLoginAsync();
        using var otherBrowser = _host.CreateClient();
        await otherBrowser.LoginAsync(email);
        using var api = _host.CreateClient();
        var tokens = await api.LoginForTokensAsync(email);
        api.UseBearer(JwtParts.Text(tokens, "access_token"));
        await browser.UseCsrfTokenAsync();

        await TestClient.ExpectAsync(await browser.PostJsonAsync("/api/account/password",
            new { currentPassword = TestClient.StrongPassword, newPassword = "An0ther-Long-Secret!" }), HttpStatusCode.NoContent);

        await TestClient.ExpectAsync(await browser.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherBrowser.Http.GetAsync("/api/auth/me")).StatusCode);
        await TestClient.ExpectProblemAsync(await api.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
        await TestClient.ExpectProblemAsync(await api.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(tokens, "refresh_token") }),
            HttpStatusCode.Unauthorized, "token_revoked");

        // A sign-in right after the change (the same second) gets tokens that work.
        using var fresh = _host.CreateClient();
        var newTokens = await fresh.LoginForTokensAsync(email, "An0ther-Long-Secret!");
        fresh.UseBearer(JwtParts.Text(newTokens, "access_token"));
        await TestClient.ExpectAsync(await fresh.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task PasswordChange_WithWrongCurrentPassword_IsRefusedAndChangesNothing()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpAndLoginAsync();
        await client.UseCsrfTokenAsync();

        var problem = await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/account/password",
            new { currentPassword = "Wr0ng-Password!!", newPassword = "An0ther-Long-Secret!" }), HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("currentPassword", out _));
        using var again = _host.CreateClient();
        await again.LoginAsync(email);
    }
}
