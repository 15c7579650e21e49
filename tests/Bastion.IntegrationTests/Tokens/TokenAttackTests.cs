using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bastion.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bastion.IntegrationTests.Tokens;

/// <summary>The attacks of RFC 8725 (JWT Best Current Practices) against the bearer scheme: each must get 401.</summary>
public sealed class TokenAttackTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private TestClient _client = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync();
        _client = _host.CreateClient();
        var email = $"victim-{Guid.NewGuid():N}@example.com";
        await _client.RegisterAsync(email);
        _token = JwtParts.Text(await _client.LoginForTokensAsync(email), "access_token");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Control_TheUntamperedTokenIsAccepted()
        => await TestClient.ExpectAsync(await MeAsync(_token), HttpStatusCode.OK);

    [Fact]
    public async Task AlgNone_IsRefused()
    {
        var header = JwtParts.Header(_token);
        header["alg"] = "none";
        var unsigned = JwtParts.Encode(header) + "." + _token.Split('.')[1] + ".";
        await ExpectRefusedAsync(unsigned, "token_invalid");
    }

    [Fact]
    public async Task Hs256SignedWithThePublicKey_IsRefused()
    {
        // The classic key-confusion attack: use the published RSA key as an HMAC secret.
        var jwks = await _client.Http.GetStringAsync("/.well-known/jwks.json");
        var header = JwtParts.Header(_token);
        header["alg"] = "HS256";
        foreach (var secret in new[] { Encoding.UTF8.GetBytes(jwks), PublicKeyPem() })
        {
            await ExpectRefusedAsync(SignHmac(JwtParts.Encode(header) + "." + _token.Split('.')[1], secret), "token_invalid");
        }
    }

    [Theory]
    [InlineData("no-such-key")]
    [InlineData("../../../../../dev/null")]
    [InlineData("' OR '1'='1")]
    [InlineData("")]
    public async Task KidThatNamesNoPublishedKey_IsRefused(string kid)
    {
        var header = JwtParts.Header(_token);
        header["kid"] = kid;
        await ExpectRefusedAsync(SignWithRealKey(header, JwtParts.Payload(_token)), "token_invalid");
    }

    [Fact]
    public async Task TokenSignedByAnotherKeyUnderTheRealKid_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        var header = JwtParts.Header(_token);
        var input = JwtParts.Encode(header) + "." + _token.Split('.')[1];
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        await ExpectRefusedAsync(input + "." + Base64Url.EncodeToString(signature), "token_invalid");
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData("application/at+jwt+evil")]
    [InlineData(null)]
    public async Task WrongOrMissingType_IsRefused(string? type)
    {
        var header = JwtParts.Header(_token);
        if (type is null)
        {
            header.Remove("typ");
        }
        else
        {
            header["typ"] = type;
        }

        await ExpectRefusedAsync(SignWithRealKey(header, JwtParts.Payload(_token)), "token_invalid");
    }

    [Theory]
    [InlineData("iss", "https://evil.example")]
    [InlineData("aud", "another-api")]
    public async Task WrongIssuerOrAudience_IsRefused(string claim, string value)
    {
        var payload = JwtParts.Payload(_token);
        payload[claim] = value;
        await ExpectRefusedAsync(SignWithRealKey(JwtParts.Header(_token), payload), "token_invalid");
    }

    [Fact]
    public async Task Expired_BeyondTheClockSkew_IsRefusedAsExpired()
    {
        var payload = JwtParts.Payload(_token);
        var past = DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds();
        payload["iat"] = past;
        payload["nbf"] = past;
        payload["exp"] = DateTimeOffset.UtcNow.AddSeconds(-31).ToUnixTimeSeconds();
        await ExpectRefusedAsync(SignWithRealKey(JwtParts.Header(_token), payload), "token_expired");
    }

    [Fact]
    public async Task Expired_WithinTheClockSkew_IsAccepted()
    {
        var payload = JwtParts.Payload(_token);
        payload["exp"] = DateTimeOffset.UtcNow.AddSeconds(-10).ToUnixTimeSeconds();
        await TestClient.ExpectAsync(await MeAsync(SignWithRealKey(JwtParts.Header(_token), payload)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task NotBeforeInTheFuture_IsRefused()
    {
        var payload = JwtParts.Payload(_token);
        payload["nbf"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        await ExpectRefusedAsync(SignWithRealKey(JwtParts.Header(_token), payload), "token_invalid");
    }

    [Fact]
    public async Task MissingExpiry_IsRefused()
    {
        var payload = JwtParts.Payload(_token);
        payload.Remove("exp");
        await ExpectRefusedAsync(SignWithRealKey(JwtParts.Header(_token), payload), "token_invalid");
    }

    [Fact]
    public async Task TamperedPayload_IsRefused()
    {
        var payload = JwtParts.Payload(_token);
        payload["sub"] = Guid.NewGuid().ToString();
        payload["roles"] = new JsonArray("super_admin");
        await ExpectRefusedAsync(JwtParts.Replace(_token, payload: payload), "token_invalid");
    }

    [Fact]
    public async Task TruncatedSignature_IsRefused()
        => await ExpectRefusedAsync(_token[..^10], "token_invalid");

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("!!!.@@@.###")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9")]
    [InlineData("....")]
    public async Task NonTokens_AreRefused(string token) => await ExpectRefusedAsync(token, "token_invalid");

    [Fact]
    public async Task RefreshTokenUsedAsBearer_IsRefused()
    {
        using var client = _host.CreateClient();
        var email = $"r-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        var refresh = JwtParts.Text(await client.LoginForTokensAsync(email), "refresh_token");
        await ExpectRefusedAsync(refresh, "token_invalid");
    }

    private async Task ExpectRefusedAsync(string token, string code)
    {
        var response = await MeAsync(token);
        await TestClient.ExpectProblemAsync(response, HttpStatusCode.Unauthorized, code);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer realm=\"bastion\"", challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> MeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return await _client.Http.SendAsync(request);
    }

    // Signs a hand-made header and payload with the server's own current key, so only the altered part is wrong.
    private string SignWithRealKey(JsonObject header, JsonObject payload)
    {
        var credentials = _host.Services.GetRequiredService<SigningKeyRing>().SigningCredentials;
        var input = JwtParts.Encode(header) + "." + JwtParts.Encode(payload);
        var provider = credentials.Key.CryptoProviderFactory.CreateForSigning(credentials.Key, credentials.Algorithm);
        try
        {
            return input + "." + Base64Url.EncodeToString(provider.Sign(Encoding.ASCII.GetBytes(input)));
        }
        finally
        {
            credentials.Key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }

    private byte[] PublicKeyPem()
    {
        var key = (RsaSecurityKey)_host.Services.GetRequiredService<SigningKeyRing>().FindKey((string?)JwtParts.Header(_token)["kid"])!;
        return Encoding.ASCII.GetBytes(key.Rsa.ExportSubjectPublicKeyInfoPem());
    }

    private static string SignHmac(string input, byte[] secret)
        => input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
}
