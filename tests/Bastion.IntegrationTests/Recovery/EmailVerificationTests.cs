using System.Net;
using Bastion.Tests.Email;

namespace Bastion.IntegrationTests.Recovery;

public sealed class EmailVerificationTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    [Fact]
    public async Task Registration_MailsALink_ThatVerifiesTheAddressOnce()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var token = await MailedTokenAsync(email, VerifySubject);
        using var client = Host.CreateClient();
        await client.LoginAsync(email);
        await client.UseCsrfTokenAsync();
        var before = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.False(before.GetProperty("emailVerified").GetBoolean());

        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/email/verify", new { token }), HttpStatusCode.NoContent);

        var after = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.True(after.GetProperty("emailVerified").GetBoolean());
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/email/verify", new { token }), HttpStatusCode.BadRequest, "verification_token_invalid");
    }

    [Fact]
    public async Task AccountPage_OffersToSendTheLinkAgain_UntilTheAddressIsVerified()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var token = await MailedTokenAsync(email, VerifySubject);
        using var client = Host.CreateClient();
        await client.LoginAsync(email);
        Assert.Contains("resend-verification", await client.Http.GetStringAsync("/account"), StringComparison.Ordinal);

        await TestClient.ExpectAsync(await Host.CreateClient().PostJsonAsync("/api/auth/email/verify", new { token }), HttpStatusCode.NoContent);

        Assert.DoesNotContain("resend-verification", await client.Http.GetStringAsync("/account"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerificationToken_PastItsLifetime_IsRefused()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var token = await MailedTokenAsync(email, VerifySubject);
        Time.Advance(TimeSpan.FromHours(48) + TimeSpan.FromSeconds(1));
        using var client = Host.CreateClient();

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/email/verify", new { token }), HttpStatusCode.BadRequest, "verification_token_invalid");
    }

    [Fact]
    public async Task ResetToken_IsNoVerificationToken_AndTheOtherWayRound()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var verification = await MailedTokenAsync(email, VerifySubject);
        await ForgotAsync(email);
        var reset = await MailedTokenAsync(email, ResetSubject);
        using var client = Host.CreateClient();

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/email/verify", new { token = reset }), HttpStatusCode.BadRequest, "verification_token_invalid");
        await TestClient.ExpectProblemAsync(await ResetAsync(verification, "Fresh-Gr4nite-Lantern!"), HttpStatusCode.BadRequest, "reset_token_invalid");
    }

    [Fact]
    public async Task Resend_IsAllowedOnceAMinuteAndAFewTimesADay_AndWithdrawsTheEarlierLink()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var first = await MailedTokenAsync(email, VerifySubject);
        using var client = Host.CreateClient();
        await client.LoginAsync(email);
        await client.UseCsrfTokenAsync();

        // The registration mail counts: a second one within the minute is refused, with the wait.
        var tooSoon = await client.PostJsonAsync("/api/auth/email/resend", new { });
        await TestClient.ExpectProblemAsync(tooSoon, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(tooSoon.Headers.RetryAfter);

        // Redis counts the minute by its own clock, which the test cannot move; the embedded run (whose in-process
        // store follows the application's clock) covers the rest.
        if (TestEnvironment.UsePostgres)
        {
            return;
        }

        for (var sent = 2; sent <= 5; sent++)
        {
            Time.Advance(TimeSpan.FromSeconds(61));
            await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/email/resend", new { }), HttpStatusCode.Accepted);
            await MailsAsync(email, VerifySubject, atLeast: sent);
        }

        Time.Advance(TimeSpan.FromSeconds(61));
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/email/resend", new { }), HttpStatusCode.TooManyRequests, "rate_limited");

        var latest = await MailedTokenAsync(email, VerifySubject, count: 5);
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/email/verify", new { token = first }), HttpStatusCode.BadRequest, "verification_token_invalid");
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/email/verify", new { token = latest }), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Resend_WithoutSigningIn_IsUnauthenticated()
    {
        using var client = Host.CreateClient();
        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/email/resend", new { }), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task SignIn_ByDefault_DoesNotNeedAVerifiedAddress()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        using var client = Host.CreateClient();

        await client.LoginForTokensAsync(email);
    }
}

public sealed class RequiredEmailVerificationTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    private protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Bastion:Recovery:RequireVerifiedEmail"] = "true",
    };

    [Fact]
    public async Task SignIn_BeforeVerification_IsRefusedWithEmailUnverified_AndWorksAfter()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        using var client = Host.CreateClient();

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword }), HttpStatusCode.Forbidden, "email_unverified");
        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/auth/email/verify", new { token = await MailedTokenAsync(email, VerifySubject) }), HttpStatusCode.NoContent);

        await client.LoginForTokensAsync(email);
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_StillSaysInvalidCredentials()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        using var client = Host.CreateClient();

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/auth/login", new { email, password = "Wr0ng-Password-Guess!" }), HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task CompletingAPasswordReset_VerifiesTheAddress()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        await ForgotAsync(email);
        const string newPassword = "Fresh-Gr4nite-Lantern!";
        await TestClient.ExpectAsync(await ResetAsync(await MailedTokenAsync(email, ResetSubject), newPassword), HttpStatusCode.NoContent);
        using var client = Host.CreateClient();

        await client.LoginForTokensAsync(email, newPassword);
    }

    [Fact]
    public async Task TheBootstrapAdministrator_CountsAsVerified()
    {
        using var client = Host.CreateClient();

        await client.LoginForTokensAsync(Actors.RootEmail, Actors.RootPassword);
    }
}

public sealed class RecoveryRateLimitTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    private protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Bastion:Abuse:RateLimits:Enabled"] = "true",
        // The client's own windows out of the way: what is under test is the address's hourly window.
        ["Bastion:Abuse:RateLimits:Budgets:Mail:PerMinute"] = "0",
        ["Bastion:Abuse:RateLimits:Budgets:Mail:PerHour"] = "0",
        ["Bastion:Abuse:RateLimits:Budgets:Mail:Address:PerMinute"] = "0",
        ["Bastion:Abuse:RateLimits:Budgets:Mail:Address:PerHour"] = "3",
    };

    [Fact]
    public async Task Forgot_FromOneAddress_IsLimitedPerHourWhateverTheTarget()
    {
        for (var i = 0; i < 3; i++)
        {
            await TestClient.ExpectAsync(await ForgotAsync(NewEmail("target")), HttpStatusCode.Accepted);
        }

        var refused = await ForgotAsync(NewEmail("target"));

        await TestClient.ExpectProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }
}

public sealed class RecoverySettingsTests
{
    [Fact]
    public async Task AResetLifetimeOverADay_StopsTheServerAtStart()
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bastion:Recovery:PasswordResetLifetime"] = "2.00:00:00",
        }));

        Assert.Contains("Bastion:Recovery:PasswordResetLifetime", error, StringComparison.Ordinal);
    }
}
