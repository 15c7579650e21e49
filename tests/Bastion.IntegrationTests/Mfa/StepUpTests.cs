using System.Net;

namespace Bastion.IntegrationTests.Mfa;

/// <summary>
/// Sensitive changes need a recent full authentication (OWASP ASVS 5.0 §7.5): a session or token that has been
/// around for a while must prove its password, and its second factor when the account has one, again.
/// </summary>
public sealed class StepUpTests : HostWithClock
{
    private const string NewPassword = "An0ther-Long-Passphrase!";
    private static Task<HttpResponseMessage> ChangePasswordAsync(TestClient client)
        => client.PostJsonAsync("/api/account/password", new { currentPassword = TestClient.StrongPassword, newPassword = NewPassword });

    [Fact]
    public async Task SignInCounts_UntilStepUpMaxAge_ThenASensitiveChangeAsksForTheStepUp()
    {
        using var client = Host.CreateClient();
        await client.SignUpWithTokensAsync();
        Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        var refused = await ChangePasswordAsync(client);

        await TestClient.ExpectProblemAsync(refused, HttpStatusCode.Forbidden, "step_up_required");
        Assert.Contains("insufficient_user_authentication", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutMfa_ThePasswordIsTheStepUp()
    {
        using var client = Host.CreateClient();
        await client.SignUpWithTokensAsync();
        Time.Advance(TimeSpan.FromMinutes(11));

        await TestClient.ExpectProblemAsync(
            await client.PostJsonAsync("/api/auth/reauthenticate", new { password = "wrong-password-here" }), HttpStatusCode.Unauthorized, "invalid_credentials");
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/reauthenticate", new { password = TestClient.StrongPassword }), HttpStatusCode.NoContent);

        await TestClient.ExpectAsync(await ChangePasswordAsync(client), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task WithMfa_ThePasswordAloneIsNotEnough()
    {
        using var client = Host.CreateClient();
        await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(Time.GetUtcNow());
        Time.Advance(TimeSpan.FromMinutes(11));

        await TestClient.ExpectProblemAsync(
            await client.PostJsonAsync("/api/auth/reauthenticate", new { password = TestClient.StrongPassword }), HttpStatusCode.BadRequest, "validation_failed");
        await TestClient.ExpectProblemAsync(await client.Http.DeleteAsync("/api/account/mfa/totp"), HttpStatusCode.Forbidden, "step_up_required");
        await TestClient.ExpectAsync(
            await client.PostJsonAsync("/api/auth/reauthenticate", new { password = TestClient.StrongPassword, method = "totp", code = app.CodeAt(Time.GetUtcNow()) }),
            HttpStatusCode.NoContent);

        await TestClient.ExpectAsync(await client.Http.DeleteAsync("/api/account/mfa/totp"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task TurningOnAFactor_SignsOutPasswordOnlySignInsElsewhere_AndKeepsTheCallers()
    {
        using var laptop = Host.CreateClient();
        var email = await laptop.SignUpWithTokensAsync();
        using var phone = Host.CreateClient();
        phone.UseBearer((await phone.LoginForTokensAsync(email)).GetProperty("access_token").GetString()!);
        using var browser = Host.CreateClient();
        await browser.LoginAsync(email);

        await laptop.EnrolTotpAsync(Time.GetUtcNow());

        // Whoever signed in with the password alone (perhaps the reason for turning the factor on) is out.
        await TestClient.ExpectProblemAsync(await phone.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
        await TestClient.ExpectProblemAsync(await browser.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await TestClient.ExpectAsync(await laptop.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task StepUp_IsPerSignIn_NotPerUser()
    {
        using var first = Host.CreateClient();
        var email = await first.SignUpWithTokensAsync();
        Time.Advance(TimeSpan.FromMinutes(11));
        using var second = Host.CreateClient();
        second.UseBearer((await second.LoginForTokensAsync(email)).GetProperty("access_token").GetString()!);

        await TestClient.ExpectAsync(await second.PostJsonAsync("/api/auth/reauthenticate", new { password = TestClient.StrongPassword }), HttpStatusCode.NoContent);

        await TestClient.ExpectProblemAsync(await ChangePasswordAsync(first), HttpStatusCode.Forbidden, "step_up_required");
    }

    [Fact]
    public async Task RoleChanges_AskAnAdministratorForTheStepUp()
    {
        using var actors = await Actors.CreateAsync(Host);
        var (_, userId, _) = await actors.UserAsync("viewer");
        Time.Advance(TimeSpan.FromMinutes(11));

        await TestClient.ExpectProblemAsync(
            await actors.Root.Http.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "operator" } }),
            HttpStatusCode.Forbidden, "step_up_required");
        await TestClient.ExpectAsync(await actors.Root.PostJsonAsync("/api/auth/reauthenticate", new { password = Actors.RootPassword }), HttpStatusCode.NoContent);

        await TestClient.ExpectAsync(
            await actors.Root.Http.PutAsJsonAsync($"/api/admin/users/{userId}/roles", new { roles = new[] { "operator" } }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ACookieSession_StepsUpWithItsCsrfToken()
    {
        using var browser = Host.CreateClient();
        await browser.SignUpAndLoginAsync();
        await browser.UseCsrfTokenAsync();
        Time.Advance(TimeSpan.FromMinutes(11));

        await TestClient.ExpectProblemAsync(await ChangePasswordAsync(browser), HttpStatusCode.Forbidden, "step_up_required");
        await TestClient.ExpectAsync(await browser.PostJsonAsync("/api/auth/reauthenticate", new { password = TestClient.StrongPassword }), HttpStatusCode.NoContent);

        await TestClient.ExpectAsync(await ChangePasswordAsync(browser), HttpStatusCode.NoContent);
    }
}
