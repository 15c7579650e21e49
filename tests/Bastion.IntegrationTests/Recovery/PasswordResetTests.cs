using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bastion.Tests.Email;

namespace Bastion.IntegrationTests.Recovery;

public sealed partial class PasswordResetTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    private const string NewPassword = "Fresh-Gr4nite-Lantern!";

    [Fact]
    public async Task Reset_WithTheMailedToken_SetsThePasswordAndEndsEverySessionAndRefreshToken()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = Host.CreateClient();
        await browser.LoginAsync(email);
        using var api = Host.CreateClient();
        var tokens = await api.LoginForTokensAsync(email);
        api.UseBearer(tokens.GetProperty("access_token").GetString()!);

        await TestClient.ExpectAsync(await ForgotAsync(email), HttpStatusCode.Accepted);
        var token = await MailedTokenAsync(email, ResetSubject);
        await TestClient.ExpectAsync(await ResetAsync(token, NewPassword), HttpStatusCode.NoContent);

        using var fresh = Host.CreateClient();
        await TestClient.ExpectProblemAsync(await fresh.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword }), HttpStatusCode.Unauthorized, "invalid_credentials");
        await fresh.LoginForTokensAsync(email, NewPassword);
        await TestClient.ExpectAsync(await browser.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
        await TestClient.ExpectAsync(await api.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized);
        using var refresher = Host.CreateClient();
        var refreshed = await refresher.PostJsonAsync("/api/auth/refresh", new { refresh_token = tokens.GetProperty("refresh_token").GetString() });
        Assert.Equal(HttpStatusCode.Unauthorized, refreshed.StatusCode);

        // The owner hears about it, in case it was not them.
        Assert.Single(await MailsAsync(email, NoticeSubject, atLeast: 1));
    }

    [Fact]
    public async Task Reset_IsAudited_WithTheAttemptedAddressAndWhetherALinkWasSent()
    {
        var email = NewEmail();
        var userId = await RegisterAsync(email);
        var unknown = NewEmail("nobody");
        await ForgotAsync(email);
        await ForgotAsync(unknown);
        await TestClient.ExpectAsync(await ResetAsync(await MailedTokenAsync(email, ResetSubject), NewPassword), HttpStatusCode.NoContent);

        using var actors = await Actors.CreateAsync(Host);
        var requested = await AuditAsync(actors, "password_reset_requested");
        var mailed = requested.Single(e => e.GetProperty("entityId").GetString() == userId.ToString());
        Assert.Contains(email, mailed.GetProperty("detailsJson").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"mailed\":true", mailed.GetProperty("detailsJson").GetString(), StringComparison.Ordinal);
        var notMailed = requested.Single(e => e.GetProperty("detailsJson").GetString()!.Contains(unknown, StringComparison.Ordinal));
        Assert.Contains("unknown_account", notMailed.GetProperty("detailsJson").GetString(), StringComparison.Ordinal);
        var reset = Assert.Single(await AuditAsync(actors, "password_reset"));
        Assert.Equal(userId.ToString(), reset.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task ResetToken_IsSingleUse()
    {
        var (_, token) = await AccountWithResetTokenAsync();

        await TestClient.ExpectAsync(await ResetAsync(token, NewPassword), HttpStatusCode.NoContent);
        await TestClient.ExpectProblemAsync(await ResetAsync(token, "An0ther-Fresh-Password!"), HttpStatusCode.BadRequest, "reset_token_invalid");
    }

    [Fact]
    public async Task ResetToken_UsedConcurrently_ExactlyOneWins()
    {
        var (email, token) = await AccountWithResetTokenAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => ResetAsync(token, $"Racing-Password-{i}-Zebra!")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.NoContent);
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        var winner = Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.NoContent);
        using var client = Host.CreateClient();
        await client.LoginForTokensAsync(email, $"Racing-Password-{winner}-Zebra!");
    }

    [Fact]
    public async Task ResetToken_PastItsLifetime_IsRefused()
    {
        var (_, token) = await AccountWithResetTokenAsync();

        Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        await TestClient.ExpectProblemAsync(await ResetAsync(token, NewPassword), HttpStatusCode.BadRequest, "reset_token_invalid");
    }

    [Fact]
    public async Task ResetToken_WithinItsLifetime_Works()
    {
        var (_, token) = await AccountWithResetTokenAsync();

        Time.Advance(TimeSpan.FromMinutes(59));

        await TestClient.ExpectAsync(await ResetAsync(token, NewPassword), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task NewerToken_WithdrawsTheOlderOne()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        await ForgotAsync(email);
        var first = await MailedTokenAsync(email, ResetSubject);
        await ForgotAsync(email);
        var second = await MailedTokenAsync(email, ResetSubject, count: 2);

        Assert.NotEqual(first, second);
        await TestClient.ExpectProblemAsync(await ResetAsync(first, NewPassword), HttpStatusCode.BadRequest, "reset_token_invalid");
        await TestClient.ExpectAsync(await ResetAsync(second, NewPassword), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task PasswordChange_WithdrawsAnOutstandingToken()
    {
        var (email, token) = await AccountWithResetTokenAsync();
        using var client = Host.CreateClient();
        client.UseBearer((await client.LoginForTokensAsync(email)).GetProperty("access_token").GetString()!);

        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/account/password", new { currentPassword = TestClient.StrongPassword, newPassword = "Chang3d-Meanwhile-Pw!" }), HttpStatusCode.NoContent);

        await TestClient.ExpectProblemAsync(await ResetAsync(token, NewPassword), HttpStatusCode.BadRequest, "reset_token_invalid");
    }

    [Fact]
    public async Task Reset_WithAPasswordThePolicyRefuses_Is400AndKeepsTheToken()
    {
        var (_, token) = await AccountWithResetTokenAsync();

        var problem = await TestClient.ExpectProblemAsync(await ResetAsync(token, "short"), HttpStatusCode.BadRequest, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("newPassword", out _));
        await TestClient.ExpectAsync(await ResetAsync(token, NewPassword), HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Reset_WithAnUnknownToken_IsRefusedWithOneCode(string token)
        => await TestClient.ExpectProblemAsync(await ResetAsync(token, NewPassword), HttpStatusCode.BadRequest, "reset_token_invalid");

    [Fact]
    public async Task Forgot_ForAnUnknownAddress_AnswersAsForAKnownOne_AndSendsNothing()
    {
        var known = NewEmail();
        await RegisterAsync(known);
        var unknown = NewEmail("nobody");

        var forKnown = await ForgotAsync(known);
        var forUnknown = await ForgotAsync(unknown);

        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(await forKnown.Content.ReadAsByteArrayAsync(), await forUnknown.Content.ReadAsByteArrayAsync());
        Assert.Equal(Headers(forKnown), Headers(forUnknown));
        await MailedTokenAsync(known, ResetSubject);
        Assert.Empty(await Catcher.EmailsToAsync(unknown));
    }

    [Fact]
    public async Task Forgot_ForADisabledAccount_Answers202AndSendsNothing()
    {
        var email = NewEmail();
        var id = await RegisterAsync(email);
        using var actors = await Actors.CreateAsync(Host);
        await TestClient.ExpectAsync(await actors.Root.Http.PostAsync($"/api/admin/users/{id}/disable", null), HttpStatusCode.OK);

        await TestClient.ExpectAsync(await ForgotAsync(email), HttpStatusCode.Accepted);

        await DrainOutboxAsync();
        Assert.Empty(await MailsAsync(email, ResetSubject));
    }

    [Fact]
    public async Task Forgot_BeyondTheHourlyCapForOneAccount_Answers202ButSendsNoMore()
    {
        var email = NewEmail();
        await RegisterAsync(email);

        for (var i = 0; i < 5; i++)
        {
            await TestClient.ExpectAsync(await ForgotAsync(email), HttpStatusCode.Accepted);
        }

        await MailsAsync(email, ResetSubject, atLeast: 3);
        await DrainOutboxAsync();
        Assert.Equal(3, (await MailsAsync(email, ResetSubject)).Count);

        // Redis counts the window by its own clock, which the test cannot move; the in-process store follows the
        // application's clock, so the embedded run shows the cap lifting after the hour.
        if (!TestEnvironment.UsePostgres)
        {
            Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
            await ForgotAsync(email);
            await MailsAsync(email, ResetSubject, atLeast: 4);
        }
    }

    [Fact]
    public async Task Forgot_WithoutAnAddress_IsAValidationError()
        => await TestClient.ExpectProblemAsync(await ForgotAsync("not an address"), HttpStatusCode.BadRequest, "validation_failed");

    [Fact]
    public async Task TheTokenAndTheNewPassword_NeverAppearInTheLogs()
    {
        var (email, token) = await AccountWithResetTokenAsync();
        await ResetAsync(token, "short");
        await ResetAsync(token, NewPassword);
        await ResetAsync(token, NewPassword);
        await DrainOutboxAsync();

        var everything = string.Join('\n', Logs.Entries);
        Assert.Contains("PasswordReset", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, everything, StringComparison.Ordinal);
    }

    /// <summary>A new account that has asked for a reset, and the token mailed to it.</summary>
    private async Task<(string Email, string Token)> AccountWithResetTokenAsync()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        await TestClient.ExpectAsync(await ForgotAsync(email), HttpStatusCode.Accepted);
        return (email, await MailedTokenAsync(email, ResetSubject));
    }

    private static async Task<List<JsonElement>> AuditAsync(Actors actors, string type)
    {
        var page = await TestClient.ExpectAsync(await actors.Root.Http.GetAsync($"/api/admin/audit?type={type}"), HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private static readonly HashSet<string> Varying = new(["Date", "X-Request-Id"], StringComparer.OrdinalIgnoreCase);

    // Everything but what differs per response by design: the date, the request id, the CSP nonce, the rate-limit window.
    private static List<string> Headers(HttpResponseMessage response)
        => response.Headers.Concat(response.Content.Headers)
            .Where(h => !Varying.Contains(h.Key) && !h.Key.StartsWith("X-RateLimit", StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Key + ": " + Nonce().Replace(string.Join(',', h.Value), "nonce-*"))
            .Order(StringComparer.Ordinal)
            .ToList();

    [GeneratedRegex("nonce-[A-Za-z0-9_-]+")]
    private static partial Regex Nonce();
}
