using System.Net;

namespace Bastion.IntegrationTests.Tokens;

public sealed class TokenOptionTests
{
    [Fact]
    public async Task Es256_WhenConfigured_SignsAndValidates()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bastion:Tokens:Algorithm"] = "ES256" });
        using var client = host.CreateClient();
        var email = $"ec-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        var token = JwtParts.Text(await client.LoginForTokensAsync(email), "access_token");

        Assert.Equal("ES256", (string?)JwtParts.Header(token)["alg"]);
        client.UseBearer(token);
        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        var jwks = await TestClient.ExpectAsync(await client.Http.GetAsync("/.well-known/jwks.json"), HttpStatusCode.OK);
        Assert.Contains(jwks.GetProperty("keys").EnumerateArray(), k => JwtParts.Text(k, "kty") == "EC" && JwtParts.Text(k, "crv") == "P-256");
    }

    [Fact]
    public async Task BoundRefreshToken_PresentedByAnotherClient_EndsTheFamily()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bastion:Tokens:BindRefreshTokensToClient"] = "true" });
        using var owner = host.CreateClient();
        owner.Http.DefaultRequestHeaders.UserAgent.ParseAdd("OwnerApp/1.0");
        var email = $"bound-{Guid.NewGuid():N}@example.com";
        await owner.RegisterAsync(email);
        var tokens = await owner.LoginForTokensAsync(email);
        using var thief = host.CreateClient();
        thief.Http.DefaultRequestHeaders.UserAgent.ParseAdd("ThiefTool/6.6");

        await TestClient.ExpectProblemAsync(await thief.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(tokens, "refresh_token") }),
            HttpStatusCode.Unauthorized, "token_revoked");

        owner.UseBearer(JwtParts.Text(tokens, "access_token"));
        await TestClient.ExpectProblemAsync(await owner.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
    }

    [Theory]
    [InlineData("Bastion:Tokens:Algorithm", "HS256", "Bastion:Tokens:Algorithm")]
    [InlineData("Bastion:Tokens:AccessTokenLifetime", "1.00:00:00", "AccessTokenLifetime")]
    [InlineData("Bastion:Tokens:ClockSkew", "00:30:00", "ClockSkew")]
    [InlineData("Bastion:Tokens:RefreshRetryWindow", "00:05:00", "RefreshRetryWindow")]
    public async Task UnsafeTokenSettings_RefuseToStart(string key, string value, string named)
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }
}
