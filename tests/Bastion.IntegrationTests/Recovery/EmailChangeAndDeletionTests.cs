using System.Net;
using Bastion.IntegrationTests.Mfa;
using Bastion.Storage;
using Bastion.Tests.Email;
using Microsoft.EntityFrameworkCore;

namespace Bastion.IntegrationTests.Recovery;

/// <summary>Moving an account to another address, and deleting it: both behind a recent step-up, both told to the owner.</summary>
public sealed class EmailChangeAndDeletionTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    private const string ChangedSubject = "The e-mail address of your Bastion account was changed";
    private const string MoveSubject = "Confirm the new e-mail address of a Bastion account";
    private const string RequestedSubject = "A new e-mail address was asked for your Bastion account";
    private const string DeletedSubject = "Your Bastion account was deleted";

    [Fact]
    public async Task ChangingTheAddress_TakesEffectWhenTheLinkSentThereIsOpened_AndTellsTheOldAddress()
    {
        using var client = Host.CreateClient();
        var oldEmail = await client.SignUpWithTokensAsync();
        var newEmail = NewEmail("moved");

        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/account/email", new { newEmail }), HttpStatusCode.Accepted);
        var token = await MailedTokenAsync(newEmail, MoveSubject);
        Assert.Single(await MailsAsync(oldEmail, RequestedSubject, 1));

        // Nothing changes until the new address proves it reads its mail.
        using var before = Host.CreateClient();
        await before.LoginForTokensAsync(oldEmail);
        using var opener = Host.CreateClient();
        await TestClient.ExpectAsync(await opener.PostJsonAsync("/api/auth/email/verify", new { token }), HttpStatusCode.NoContent);

        await TestClient.ExpectProblemAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
        var me = await TestClient.ExpectAsync(await Host.CreateClient().PostJsonAsync("/api/auth/login", new { email = newEmail, password = TestClient.StrongPassword }), HttpStatusCode.OK);
        Assert.True(me.TryGetProperty("access_token", out _));
        await TestClient.ExpectProblemAsync(
            await Host.CreateClient().PostJsonAsync("/api/auth/login", new { email = oldEmail, password = TestClient.StrongPassword }),
            HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Single(await MailsAsync(oldEmail, ChangedSubject, 1));
        await TestClient.ExpectProblemAsync(await opener.PostJsonAsync("/api/auth/email/verify", new { token }), HttpStatusCode.BadRequest, "verification_token_invalid");
    }

    [Fact]
    public async Task ChangingTheAddress_ToATakenOrTheSameOne_IsRefused()
    {
        using var other = Host.CreateClient();
        var taken = await other.SignUpWithTokensAsync();
        using var client = Host.CreateClient();
        var mine = await client.SignUpWithTokensAsync();

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/account/email", new { newEmail = taken.ToUpperInvariant() }), HttpStatusCode.Conflict, "email_taken");
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/account/email", new { newEmail = mine }), HttpStatusCode.BadRequest, "validation_failed");
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/account/email", new { newEmail = "not an address" }), HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ChangingTheAddressAndDeleting_NeedARecentStepUp()
    {
        using var client = Host.CreateClient();
        await client.SignUpWithTokensAsync();
        Time.Advance(TimeSpan.FromMinutes(11));

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/account/email", new { newEmail = NewEmail() }), HttpStatusCode.Forbidden, "step_up_required");
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/account/delete", new { password = TestClient.StrongPassword }), HttpStatusCode.Forbidden, "step_up_required");
    }

    [Fact]
    public async Task Deleting_WithTheWrongPassword_ChangesNothing()
    {
        using var client = Host.CreateClient();
        var email = await client.SignUpWithTokensAsync();

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/account/delete", new { password = "Wr0ng-Password!" }), HttpStatusCode.BadRequest, "validation_failed");

        await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        await Host.CreateClient().LoginForTokensAsync(email);
    }

    [Fact]
    public async Task Deleting_RemovesPersonalDetailsAndFactors_EndsEverything_AndTellsTheOwner()
    {
        using var client = Host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        await client.EnrolTotpAsync(Time.GetUtcNow());
        using var browser = Host.CreateClient();
        await browser.StartSignInAsync(email);

        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/account/delete", new { password = TestClient.StrongPassword }), HttpStatusCode.NoContent);

        await TestClient.ExpectProblemAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_revoked");
        await TestClient.ExpectProblemAsync(
            await Host.CreateClient().PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword }), HttpStatusCode.Unauthorized, "invalid_credentials");
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
        Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == email));
        var row = await db.Users.Include(u => u.Roles).SingleAsync(u => u.FullName == "Deleted user" && u.NormalizedEmail.StartsWith("deleted-"));
        Assert.Equal(UserStatus.Disabled, row.Status);
        Assert.Null(row.TotpSecret);
        Assert.Null(row.RecoveryCodes);
        Assert.Empty(row.Roles);
        Assert.Single(await MailsAsync(email, DeletedSubject, 1));
    }
}
