using System.Text.RegularExpressions;
using Bastion.Mfa;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bastion.BrowserTests.Mfa;

[Collection(BrowserCollection.Name)]
public sealed partial class AuthenticatorTests(BrowserFixture browser, ServerFixture server) : BrowserTest(browser, server)
{
    [Fact]
    public async Task AuthenticatorTurnedOnWithTheQrCode_IsAskedForAtTheNextSignIn()
    {
        var email = await RegisterAccountAsync();
        await new LoginPage(Page).SignInAsync(email);

        await Page.GotoAsync("/account/security");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Img, new() { Name = "QR code for your authenticator app" })).ToBeVisibleAsync();
        var secret = Base32.Decode(await Page.Locator("#totp-secret").InnerTextAsync());
        var totp = new Totp();
        await Page.GetByLabel("Code shown by the app").FillAsync(totp.Compute(secret, DateTimeOffset.UtcNow));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your recovery codes" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#recovery-codes code")).ToHaveCountAsync(10);

        // Another browser: the password leads to the second step, not into the account.
        var other = await (await NewContextAsync()).NewPageAsync();
        var login = new LoginPage(other);
        await login.GotoAsync();
        await login.SubmitAsync(email, TestClient.StrongPassword);
        await Expect(other).ToHaveURLAsync(SecondStep());

        // The next step's code: the one used to turn TOTP on may not be used again.
        await other.GetByLabel("Code", new() { Exact = true }).FillAsync(totp.Compute(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
        await other.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await new AccountPage(other).ExpectShownAsync();
    }

    [GeneratedRegex("/login/mfa")]
    private static partial Regex SecondStep();
}
