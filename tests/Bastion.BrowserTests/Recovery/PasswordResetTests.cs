using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bastion.BrowserTests.Recovery;

[Collection(BrowserCollection.Name)]
public sealed partial class PasswordResetTests(BrowserFixture browser, ServerFixture server) : BrowserTest(browser, server)
{
    private const string NewPassword = "Brand-New-Passphrase-7!";

    [Fact]
    public async Task ForgotPassword_MailsALink_ThatSetsANewPasswordForTheNextSignIn()
    {
        var email = await RegisterAccountAsync();

        await Page.GotoAsync("/login");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await Page.GetByLabel("E-mail").FillAsync(email);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
        await Expect(Page.Locator("#forgot-sent")).ToBeVisibleAsync();

        // Development mail goes to the pickup folder as .eml files: the link is read from there, as a user would click it.
        await Page.GotoAsync(await ResetLinkAsync(email));
        await Page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await Page.GetByLabel("Repeat the new password").FillAsync(NewPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(Page.Locator("#reset-done")).ToBeVisibleAsync();

        await new LoginPage(Page).SignInAsync(email, NewPassword);
    }

    private async Task<string> ResetLinkAsync(string email)
    {
        var outbox = Path.Combine(Host.Storage.Settings["Bastion:DataDirectory"]!, "outbox");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            foreach (var file in Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml") : [])
            {
                // Quoted-printable: soft line breaks and "=3D" for "=".
                var text = (await File.ReadAllTextAsync(file)).Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
                if (text.Contains(email, StringComparison.OrdinalIgnoreCase) && ResetLink().Match(text) is { Success: true } link)
                {
                    return new Uri(link.Value).PathAndQuery;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No reset link for {email} in {outbox}.");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/reset-password\?token=[A-Za-z0-9_%-]+")]
    private static partial Regex ResetLink();
}
