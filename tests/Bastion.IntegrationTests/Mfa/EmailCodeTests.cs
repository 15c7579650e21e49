using System.Net;
using Bastion.IntegrationTests.Recovery;
using Bastion.IntegrationTests.Tokens;
using Bastion.Tests.Email;

namespace Bastion.IntegrationTests.Mfa;

/// <summary>E-mailed codes as the second factor, delivered over SMTP to a real catcher (maildev).</summary>
public sealed class EmailCodeTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    /// <summary>An account with e-mail codes on, turned on through the API with the code the catcher received.</summary>
    private async Task<(TestClient Client, string Email)> AccountWithEmailCodesAsync()
    {
        var client = Host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        await TestClient.ExpectAsync(await client.Http.PostAsync("/api/account/mfa/email/setup", null), HttpStatusCode.Accepted);
        var confirmed = await TestClient.ExpectAsync(
            await client.PostJsonAsync("/api/account/mfa/email/confirm", new { code = await MailedCodeAsync(email, 1) }), HttpStatusCode.OK);
        Assert.Equal(10, confirmed.GetProperty("recoveryCodes").GetArrayLength());
        return (client, email);
    }

    [Fact]
    public async Task EmailCodes_TurnedOnWithAMailedCode_FinishTheNextSignIn()
    {
        var (owner, email) = await AccountWithEmailCodesAsync();
        using var _ = owner;
        Assert.Single(await MailsAsync(email, "Two-step verification was turned on for your Bastion account", 1));

        using var client = Host.CreateClient();
        var challenge = await client.StartSignInAsync(email);
        Assert.Equal(["email", "recovery_code"], challenge.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));

        // The only factor is e-mail, so the code was sent with the challenge.
        var code = await MailedCodeAsync(email, 2);
        var tokens = await TestClient.ExpectAsync(
            await client.FinishSignInAsync(challenge.GetProperty("mfa_token").GetString()!, "email", code), HttpStatusCode.OK);
        Assert.Equal(["pwd", "email", "mfa"], JwtParts.Payload(JwtParts.Text(tokens, "access_token"))["amr"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task ACodeSentForOneSignIn_DoesNotFinishAnother_AndWorksOnce()
    {
        var (owner, email) = await AccountWithEmailCodesAsync();
        using var _ = owner;
        using var client = Host.CreateClient();
        var first = (await client.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;
        var firstCode = await MailedCodeAsync(email, 2);
        var second = (await client.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;
        await MailedCodeAsync(email, 3);

        await TestClient.ExpectProblemAsync(await client.FinishSignInAsync(second, "email", firstCode), HttpStatusCode.Unauthorized, "mfa_code_invalid");
        await TestClient.ExpectAsync(await client.FinishSignInAsync(first, "email", firstCode), HttpStatusCode.OK);

        var third = (await client.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;
        await TestClient.ExpectProblemAsync(await client.FinishSignInAsync(third, "email", firstCode), HttpStatusCode.Unauthorized, "mfa_code_invalid");
    }

    [Fact]
    public async Task Resending_IsLimitedPerPendingSignIn()
    {
        var (owner, email) = await AccountWithEmailCodesAsync();
        using var _ = owner;
        using var client = Host.CreateClient();
        var token = (await client.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;

        // One code came with the challenge; two more may be asked for.
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/mfa/email", new { mfa_token = token }), HttpStatusCode.Accepted);
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/mfa/email", new { mfa_token = token }), HttpStatusCode.Accepted);
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/mfa/email", new { mfa_token = token }), HttpStatusCode.TooManyRequests, "rate_limited");

        // Each send replaces the pending code: of the three mailed (in whatever order they arrive), one finishes it.
        var codes = new List<string>();
        for (var i = 2; i <= 4; i++)
        {
            codes.Add(await MailedCodeAsync(email, i));
        }

        var answers = new List<HttpStatusCode>();
        foreach (var code in codes.Distinct())
        {
            answers.Add((await client.FinishSignInAsync(token, "email", code)).StatusCode);
        }

        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.OK));
    }

    [Fact]
    public async Task AnAccountWithoutEmailCodes_CannotAskForOne()
    {
        using var client = Host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        await client.EnrolTotpAsync(Time.GetUtcNow());
        using var other = Host.CreateClient();
        var token = (await other.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;

        await TestClient.ExpectProblemAsync(await other.PostJsonAsync("/api/auth/mfa/email", new { mfa_token = token }), HttpStatusCode.BadRequest, "mfa_method_unavailable");
        await TestClient.ExpectProblemAsync(await other.FinishSignInAsync(token, "email", "123456"), HttpStatusCode.BadRequest, "mfa_method_unavailable");
    }
}
