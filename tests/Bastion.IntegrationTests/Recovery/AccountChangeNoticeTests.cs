using System.Net;
using Bastion.IntegrationTests.Mfa;
using Bastion.Tests.Email;

namespace Bastion.IntegrationTests.Recovery;

/// <summary>
/// The owner is told by mail of each change to how their account is protected or what it may do (ASVS 5.0 §6.3.7):
/// what changed, when, from which address, and what to do if it was not them — and never a secret.
/// </summary>
public sealed class AccountChangeNoticeTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    private const string NewPassword = "An0ther-Long-Passphrase!";
    private const string FactorOnSubject = "Two-step verification was turned on for your Bastion account";
    private const string FactorAddedSubject = "A second factor was added to your Bastion account";
    private const string FactorRemovedSubject = "A second factor was removed from your Bastion account";
    private const string FactorOffSubject = "Two-step verification was turned off for your Bastion account";
    private const string RolesSubject = "The roles of your Bastion account were changed";

    [Fact]
    public async Task ChangingThePassword_MailsTheOwnerWhatWhenAndFromWhere_WithoutThePassword()
    {
        using var client = Host.CreateClient();
        var email = await client.SignUpWithTokensAsync();

        await TestClient.ExpectAsync(
            await client.PostJsonAsync("/api/account/password", new { currentPassword = TestClient.StrongPassword, newPassword = NewPassword }), HttpStatusCode.NoContent);

        var notice = Assert.Single(await MailsAsync(email, NoticeSubject, 1)).Text!;
        AssertNotice(notice, "password of your Bastion account was changed");
        Assert.DoesNotContain(NewPassword, notice, StringComparison.Ordinal);
        Assert.DoesNotContain(TestClient.StrongPassword, notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddingAndRemovingSecondFactors_MailsTheOwnerEachTime_NamingTheMethod()
    {
        using var client = Host.CreateClient();
        var email = await client.SignUpWithTokensAsync();

        await client.EnrolTotpAsync(Time.GetUtcNow());
        AssertNotice(Assert.Single(await MailsAsync(email, FactorOnSubject, 1)).Text!, "authenticator app");

        await TestClient.ExpectAsync(await client.Http.PostAsync("/api/account/mfa/email/setup", null), HttpStatusCode.Accepted);
        var code = await MailedCodeAsync(email, 1);
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/account/mfa/email/confirm", new { code }), HttpStatusCode.OK);
        var added = Assert.Single(await MailsAsync(email, FactorAddedSubject, 1)).Text!;
        AssertNotice(added, "sent by e-mail");
        Assert.DoesNotContain(code, added, StringComparison.Ordinal);

        await TestClient.ExpectAsync(await client.Http.DeleteAsync("/api/account/mfa/totp"), HttpStatusCode.NoContent);
        AssertNotice(Assert.Single(await MailsAsync(email, FactorRemovedSubject, 1)).Text!, "authenticator app");

        await TestClient.ExpectAsync(await client.Http.DeleteAsync("/api/account/mfa/email"), HttpStatusCode.NoContent);
        AssertNotice(Assert.Single(await MailsAsync(email, FactorOffSubject, 1)).Text!, "sent by e-mail");
    }

    [Fact]
    public async Task AnAdministratorChangingTheRoles_MailsTheOwnerTheRolesBeforeAndAfter()
    {
        using var actors = await Actors.CreateAsync(Host);
        using var client = Host.CreateClient();
        var email = NewEmail();
        var id = (await client.RegisterAsync(email)).GetProperty("id").GetGuid();

        await TestClient.ExpectAsync(await actors.Root.Http.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { "operator" } }), HttpStatusCode.OK);

        var notice = Assert.Single(await MailsAsync(email, RolesSubject, 1)).Text!;
        AssertNotice(notice, "Roles now: operator. Before: viewer.");

        // Setting the same roles again changes nothing, and says nothing.
        await TestClient.ExpectAsync(await actors.Root.Http.PutAsJsonAsync($"/api/admin/users/{id}/roles", new { roles = new[] { "operator" } }), HttpStatusCode.OK);
        await DrainOutboxAsync();
        Assert.Single(await MailsAsync(email, RolesSubject, 1));
    }

    /// <summary>The parts every notice has: what changed, when, from where, and what to do if it was not the owner.</summary>
    private static void AssertNotice(string text, string what)
    {
        Assert.Contains(what, text, StringComparison.Ordinal);
        Assert.Matches(@"When: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", text);
        Assert.Contains("From: 127.0.0.1", text, StringComparison.Ordinal);
        Assert.Contains("If it was not, reset your password now", text, StringComparison.Ordinal);
    }
}
