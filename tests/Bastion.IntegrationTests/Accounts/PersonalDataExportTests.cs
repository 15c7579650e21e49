using System.Net;
using System.Text.Json;
using Bastion.IntegrationTests.Mfa;
using Bastion.IntegrationTests.Recovery;
using Bastion.Tests.Email;

namespace Bastion.IntegrationTests.Accounts;

/// <summary>GET /api/account/export: what Bastion keeps about the caller, and nothing secret, right after a sign-in only.</summary>
public sealed class PersonalDataExportTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    [Fact]
    public async Task TheExport_HoldsTheAccountSessionsTokensAndAuditTrail_AndNoSecret()
    {
        using var client = Host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var tokens = await client.LoginForTokensAsync(email);
        using var browser = Host.CreateClient();
        await browser.LoginAsync(email);
        var setup = await TestClient.ExpectAsync(await client.Http.PostAsync("/api/account/mfa/totp/setup", null), HttpStatusCode.OK);
        var secret = setup.GetProperty("secret").GetString()!;
        var confirmed = await TestClient.ExpectAsync(await client.PostJsonAsync("/api/account/mfa/totp/confirm",
            new { code = Authenticator.FromSetup(setup).CodeAt(Time.GetUtcNow()) }), HttpStatusCode.OK);
        var recoveryCode = confirmed.GetProperty("recoveryCodes")[0].GetString()!;
        // Turning TOTP on ended the other sign-ins; sign in again with a cookie so that there is a session to export.
        using var again = Host.CreateClient();
        var mfaToken = (await again.StartSignInAsync(email, useCookie: true)).GetProperty("mfa_token").GetString()!;
        await TestClient.ExpectAsync(await again.FinishSignInAsync(mfaToken, "totp", Authenticator.FromSetup(setup).CodeAt(Time.GetUtcNow().AddSeconds(30))), HttpStatusCode.OK);

        var response = await client.Http.GetAsync("/api/account/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var text = await response.Content.ReadAsStringAsync();
        using var export = JsonDocument.Parse(text);
        var account = export.RootElement.GetProperty("account");
        Assert.Equal(email, account.GetProperty("email").GetString());
        Assert.Equal("viewer", Assert.Single(account.GetProperty("roles").EnumerateArray()).GetString());
        Assert.True(account.GetProperty("secondFactors").GetProperty("totp").GetBoolean());
        Assert.Equal(10, account.GetProperty("secondFactors").GetProperty("recoveryCodesRemaining").GetInt32());
        Assert.Single(export.RootElement.GetProperty("sessions").EnumerateArray());
        Assert.True(export.RootElement.GetProperty("tokenFamilies").GetArrayLength() >= 2);
        var types = export.RootElement.GetProperty("auditTrail").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("login_success", types);
        Assert.Contains("mfa_enabled", types);
        Assert.Equal("data_access", types[^1]);                                      // the export itself, last

        foreach (var secretValue in new[] { secret, recoveryCode, tokens.GetProperty("refresh_token").GetString()!, tokens.GetProperty("access_token").GetString()!, "$argon2id", TestClient.StrongPassword })
        {
            Assert.DoesNotContain(secretValue, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheExport_NeedsASignInAndARecentOne()
    {
        await TestClient.ExpectAsync(await Host.CreateClient().Http.GetAsync("/api/account/export"), HttpStatusCode.Unauthorized);
        using var client = Host.CreateClient();
        await client.SignUpWithTokensAsync();
        Time.Advance(TimeSpan.FromMinutes(11));

        await TestClient.ExpectProblemAsync(await client.Http.GetAsync("/api/account/export"), HttpStatusCode.Forbidden, "step_up_required");
    }
}
