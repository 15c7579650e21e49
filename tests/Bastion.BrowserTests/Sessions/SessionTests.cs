using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bastion.BrowserTests.Sessions;

[Collection(BrowserCollection.Name)]
public sealed partial class SessionTests(BrowserFixture browser, ServerFixture server) : BrowserTest(browser, server)
{
    [Fact]
    public async Task EndOtherSession_FromAccountPage_SendsThatBrowserToLogin()
    {
        var email = await RegisterAccountAsync();
        var account = await new LoginPage(Page).SignInAsync(email);
        var otherPage = await (await NewContextAsync()).NewPageAsync();
        await new LoginPage(otherPage).SignInAsync(email);

        await account.GotoAsync();
        await Expect(account.SessionRows).ToHaveCountAsync(2);
        await account.EndOtherSessionAsync();

        await Expect(account.SessionRows).ToHaveCountAsync(1);
        await Expect(account.CurrentSession).ToHaveCountAsync(1);
        await new AccountPage(otherPage).GotoAsync();
        await Expect(otherPage).ToHaveURLAsync(LoginRedirect());
    }

    [Fact]
    public async Task SignOut_FromHeader_EndsSessionAndOldCookieNoLongerAuthenticates()
    {
        var email = await RegisterAccountAsync();
        var account = await new LoginPage(Page).SignInAsync(email);
        var cookie = await SessionCookieAsync(Context);
        Assert.NotNull(cookie);
        // The copied cookie authenticates while the session lives, so its refusal below is the server's doing.
        await ExpectCookieOpensAccountAsync(cookie, opens: true);

        await account.SignOutAsync();

        Assert.Null(await SessionCookieAsync(Context));
        await account.GotoAsync();
        await Expect(Page).ToHaveURLAsync(LoginRedirect());
        await ExpectCookieOpensAccountAsync(cookie, opens: false);
    }

    [Fact]
    public async Task SessionCookie_InBrowser_IsHttpOnlyLaxAndHiddenFromScript()
    {
        var email = await RegisterAccountAsync();
        await new LoginPage(Page).SignInAsync(email);

        var cookie = await SessionCookieAsync(Context);

        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        var visibleToScript = await Page.EvaluateAsync<string>("() => document.cookie");
        Assert.DoesNotContain(cookie.Value, visibleToScript, StringComparison.Ordinal);
        Assert.DoesNotContain($"{SessionCookieName}=", visibleToScript, StringComparison.Ordinal);
    }

    /// <summary>Puts a copy of the cookie into a new browser context and opens <c>/account</c> there.</summary>
    private async Task ExpectCookieOpensAccountAsync(BrowserContextCookiesResult cookie, bool opens)
    {
        var context = await NewContextAsync();
        await context.AddCookiesAsync([new Cookie { Name = cookie.Name, Value = cookie.Value, Url = Host.Address.ToString() }]);
        var page = await context.NewPageAsync();

        await new AccountPage(page).GotoAsync();

        await Expect(page).ToHaveURLAsync(opens ? AccountPath() : LoginRedirect());
    }

    [GeneratedRegex(@"/login\?returnUrl=%2Faccount$")]
    private static partial Regex LoginRedirect();

    [GeneratedRegex("/account$")]
    private static partial Regex AccountPath();
}
