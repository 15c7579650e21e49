using System.Net;

namespace Bastion.IntegrationTests.Tokens;

/// <summary>
/// A password change must not commit without the end of the token families that outlive it: whoever held a refresh
/// token before the change (perhaps the reason for it) must not keep it because the revocation failed afterwards.
/// </summary>
public sealed class CredentialChangeRevocationTests : IAsyncLifetime
{
    private const string NewPassword = "An0ther-Long-Secret!";
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PasswordChange_WhenEndingTheTokenFamiliesFails_ChangesNothing_AndTheRetryEndsThem()
    {
        using var browser = _host.CreateClient();
        var email = await browser.SignUpAndLoginAsync();
        await browser.UseCsrfTokenAsync();
        using var intruder = _host.CreateClient();
        var stolen = await intruder.LoginForTokensAsync(email);

        await using (await _host.RefuseUpdatesAsync("token_families"))
        {
            var failed = await browser.PostJsonAsync("/api/account/password", new { currentPassword = TestClient.StrongPassword, newPassword = NewPassword });
            Assert.True((int)failed.StatusCode >= 500, $"expected the change to fail, got {(int)failed.StatusCode}");
        }

        // Either both happened or neither: here neither, so the old password still works and the change can be retried.
        using var check = _host.CreateClient();
        await TestClient.ExpectProblemAsync(await check.PostJsonAsync("/api/auth/login", new { email, password = NewPassword }), HttpStatusCode.Unauthorized, "invalid_credentials");
        await TestClient.ExpectAsync(await browser.PostJsonAsync("/api/account/password", new { currentPassword = TestClient.StrongPassword, newPassword = NewPassword }), HttpStatusCode.NoContent);
        await TestClient.ExpectProblemAsync(await intruder.PostJsonAsync("/api/auth/refresh", new { refresh_token = JwtParts.Text(stolen, "refresh_token") }),
            HttpStatusCode.Unauthorized, "token_revoked");
    }

    [Fact]
    public async Task Refresh_RetriedInsideTheWindowAfterAPasswordChange_IsRevokedNotReuse()
    {
        // A client whose refresh answer was lost retries while the owner changes the password elsewhere: its family
        // is over, but nothing was stolen, so the answer is token_revoked and no theft alarm is raised.
        using var browser = _host.CreateClient();
        var email = await browser.SignUpAndLoginAsync();
        await browser.UseCsrfTokenAsync();
        using var api = _host.CreateClient();
        var spent = JwtParts.Text(await api.LoginForTokensAsync(email), "refresh_token");
        await TestClient.ExpectAsync(await api.PostJsonAsync("/api/auth/refresh", new { refresh_token = spent }), HttpStatusCode.OK);
        await TestClient.ExpectAsync(await browser.PostJsonAsync("/api/account/password", new { currentPassword = TestClient.StrongPassword, newPassword = NewPassword }), HttpStatusCode.NoContent);

        await TestClient.ExpectProblemAsync(await api.PostJsonAsync("/api/auth/refresh", new { refresh_token = spent }), HttpStatusCode.Unauthorized, "token_revoked");
    }
}
