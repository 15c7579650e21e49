using System.Net;

namespace Bastion.IntegrationTests.Recovery;

public sealed partial class PasswordResetTests
{
    [Fact]
    public async Task Reset_WhenEndingTheTokenFamiliesFails_ChangesNothing_AndTheLinkStillWorks()
    {
        var (email, token) = await AccountWithResetTokenAsync();
        using var intruder = Host.CreateClient();
        var stolen = await intruder.LoginForTokensAsync(email);

        await using (await Host.RefuseUpdatesAsync("token_families"))
        {
            var failed = await ResetAsync(token, NewPassword);
            Assert.True((int)failed.StatusCode >= 500, $"expected the reset to fail, got {(int)failed.StatusCode}");
        }

        // The reset did not happen at all: the intruder's family is alive only because the password is unchanged,
        // and the link, unspent, ends it on the retry.
        using var check = Host.CreateClient();
        await TestClient.ExpectProblemAsync(await check.PostJsonAsync("/api/auth/login", new { email, password = NewPassword }), HttpStatusCode.Unauthorized, "invalid_credentials");
        await TestClient.ExpectAsync(await ResetAsync(token, NewPassword), HttpStatusCode.NoContent);
        await TestClient.ExpectProblemAsync(await intruder.PostJsonAsync("/api/auth/refresh", new { refresh_token = stolen.GetProperty("refresh_token").GetString() }),
            HttpStatusCode.Unauthorized, "token_revoked");
    }
}
