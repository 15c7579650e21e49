using System.Net;
using System.Text.Json;
using Bastion.Mfa;

namespace Bastion.IntegrationTests.Mfa;

/// <summary>An authenticator app: the secret scanned at enrolment, and the code it shows at a given time.</summary>
internal sealed class Authenticator(byte[] secret)
{
    private readonly Totp _totp = new();

    public string CodeAt(DateTimeOffset time) => _totp.Compute(secret, time);

    public static Authenticator FromSetup(JsonElement setup) => new(Base32.Decode(setup.GetProperty("secret").GetString()!));
}

/// <summary>The MFA steps a test client takes, against the JSON API with a bearer token.</summary>
internal static class MfaClient
{
    /// <summary>Registers an account, signs in for tokens and uses them on <paramref name="client"/>; returns the e-mail.</summary>
    public static async Task<string> SignUpWithTokensAsync(this TestClient client)
    {
        var email = $"mfa-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        client.UseBearer((await client.LoginForTokensAsync(email)).GetProperty("access_token").GetString()!);
        return email;
    }

    /// <summary>Turns TOTP on for the signed-in account at <paramref name="now"/>; returns the app and the recovery codes.</summary>
    public static async Task<(Authenticator App, string[] RecoveryCodes)> EnrolTotpAsync(this TestClient client, DateTimeOffset now)
    {
        var setup = await TestClient.ExpectAsync(await client.Http.PostAsync("/api/account/mfa/totp/setup", null), HttpStatusCode.OK);
        var app = Authenticator.FromSetup(setup);
        var confirmed = await TestClient.ExpectAsync(
            await client.PostJsonAsync("/api/account/mfa/totp/confirm", new { code = app.CodeAt(now) }), HttpStatusCode.OK);
        var codes = confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return (app, codes);
    }

    /// <summary>Posts the password and expects the second-factor challenge; returns the <c>mfa_token</c>.</summary>
    public static async Task<JsonElement> StartSignInAsync(this TestClient client, string email, bool useCookie = false)
    {
        var body = await TestClient.ExpectAsync(
            await client.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword, useCookie }), HttpStatusCode.OK);
        Assert.True(body.GetProperty("mfa_required").GetBoolean());
        return body;
    }

    public static Task<HttpResponseMessage> FinishSignInAsync(this TestClient client, string mfaToken, string method, string code)
        => client.PostJsonAsync("/api/auth/mfa", new { mfa_token = mfaToken, method, code });
}
