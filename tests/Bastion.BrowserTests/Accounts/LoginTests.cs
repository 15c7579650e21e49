using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Bastion.BrowserTests.Accounts;

[Collection(BrowserCollection.Name)]
public sealed class LoginTests(BrowserFixture browser, ServerFixture server) : BrowserTest(browser, server)
{
    [Fact]
    public async Task Login_WithWrongPassword_ShowsErrorAndSetsNoSessionCookie()
    {
        var email = await RegisterAccountAsync();
        var login = await new LoginPage(Page).GotoAsync();

        await login.SubmitAsync(email, "Wrong-Horse-Battery-9!");

        await Expect(login.Error).ToHaveTextAsync("Invalid e-mail or password.");
        await Expect(Page).ToHaveURLAsync(new Regex("/login$"));
        Assert.Null(await SessionCookieAsync(Context));
    }
}
