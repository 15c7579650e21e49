using System.Net;
using Bastion.Tests.Email;

namespace Bastion.IntegrationTests.Recovery;

public sealed class RecoveryPageTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    [Fact]
    public async Task LoginPage_LinksToForgotPassword()
    {
        using var browser = Host.CreateClient();

        var html = await browser.Http.GetStringAsync("/login");

        Assert.Contains("href=\"/forgot-password\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgotAndResetPages_ChangeThePassword()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = Host.CreateClient();

        var sent = await PostFormAsync(browser, "/forgot-password", new() { ["Email"] = email });
        Assert.Contains("id=\"forgot-sent\"", sent, StringComparison.Ordinal);
        var token = await MailedTokenAsync(email, ResetSubject);

        var formPath = "/reset-password?token=" + Uri.EscapeDataString(token);
        var differ = await PostFormAsync(browser, formPath, new() { ["Token"] = token, ["NewPassword"] = "Fresh-Gr4nite-Lantern!", ["ConfirmPassword"] = "Other-Gr4nite-Lantern!" });
        Assert.Contains("The two passwords differ.", differ, StringComparison.Ordinal);
        var done = await PostFormAsync(browser, formPath, new() { ["Token"] = token, ["NewPassword"] = "Fresh-Gr4nite-Lantern!", ["ConfirmPassword"] = "Fresh-Gr4nite-Lantern!" });
        Assert.Contains("id=\"reset-done\"", done, StringComparison.Ordinal);

        await browser.LoginForTokensAsync(email, "Fresh-Gr4nite-Lantern!");
        var again = await PostFormAsync(browser, formPath, new() { ["Token"] = token, ["NewPassword"] = "An0ther-Fresh-Password!", ["ConfirmPassword"] = "An0ther-Fresh-Password!" });
        Assert.Contains("id=\"reset-error\"", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgotPage_ForAnUnknownAddress_ShowsTheSameMessage()
    {
        using var browser = Host.CreateClient();

        var sent = await PostFormAsync(browser, "/forgot-password", new() { ["Email"] = NewEmail("nobody") });

        Assert.Contains("id=\"forgot-sent\"", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpeningTheLinks_SpendsNoToken()
    {
        // Mail scanners and link previews fetch every link in a message: only the form's POST may use the token.
        var email = NewEmail();
        await RegisterAsync(email);
        var verification = await MailedTokenAsync(email, VerifySubject);
        await ForgotAsync(email);
        var reset = await MailedTokenAsync(email, ResetSubject);
        using var scanner = Host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await scanner.Http.GetAsync("/verify-email?token=" + verification)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scanner.Http.GetAsync("/reset-password?token=" + reset)).StatusCode);

        using var owner = Host.CreateClient();
        var verified = await PostFormAsync(owner, "/verify-email?token=" + verification, new() { ["Token"] = verification });
        Assert.Contains("id=\"verify-done\"", verified, StringComparison.Ordinal);
        await TestClient.ExpectAsync(await ResetAsync(reset, "Fresh-Gr4nite-Lantern!"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task VerifyPage_WithASpentToken_SaysSo()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var token = await MailedTokenAsync(email, VerifySubject);
        using var browser = Host.CreateClient();
        await PostFormAsync(browser, "/verify-email?token=" + token, new() { ["Token"] = token });

        var again = await PostFormAsync(browser, "/verify-email?token=" + token, new() { ["Token"] = token });

        Assert.Contains("id=\"verify-error\"", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterPage_MailsAVerificationLink()
    {
        var email = NewEmail();
        using var browser = Host.CreateClient();
        var token = await browser.GetFormTokenAsync("/register");

        var response = await browser.PostFormAsync("/register", new Dictionary<string, string>
        {
            ["Input.FullName"] = "Page User",
            ["Input.Email"] = email,
            ["Input.Password"] = TestClient.StrongPassword,
            ["__RequestVerificationToken"] = token,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotEmpty(await MailedTokenAsync(email, VerifySubject));
    }

    /// <summary>GETs <paramref name="path"/> for its form token, posts the fields with it, and returns the page.</summary>
    private static async Task<string> PostFormAsync(TestClient browser, string path, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await browser.GetFormTokenAsync(path);
        var response = await browser.PostFormAsync(path, fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

public sealed class RequiredVerificationPageTests(SmtpCatcher catcher) : MailingHost(catcher)
{
    private protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Bastion:Recovery:RequireVerifiedEmail"] = "true",
    };

    [Fact]
    public async Task LoginPage_ForAnUnverifiedAccount_SaysToConfirmTheAddress()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = Host.CreateClient();
        var token = await browser.GetFormTokenAsync("/login");

        var response = await browser.PostFormAsync("/login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = TestClient.StrongPassword,
            ["__RequestVerificationToken"] = token,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Confirm your e-mail address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(browser.Cookie("bastion"));
    }
}
