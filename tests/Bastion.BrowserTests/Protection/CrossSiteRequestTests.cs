using System.Net;
using static Microsoft.Playwright.Assertions;

namespace Bastion.BrowserTests.Protection;

/// <summary>
/// A page on another origin auto-submits a form at Bastion while the victim is signed in. "127.0.0.1" on another
/// port is same-site but cross-origin, so the browser still sends the SameSite=Lax cookie and Bastion's own checks
/// must refuse; "localhost" is another site, where the browser withholds the cookie as well.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossSiteRequestTests(BrowserFixture browser, ServerFixture server, AttackerSite attacker)
    : BrowserTest(browser, server), IClassFixture<AttackerSite>
{
    [Theory]
    [InlineData("/logout", "127.0.0.1")]
    [InlineData("/logout", "localhost")]
    [InlineData("/api/account/sessions/revoke-others", "127.0.0.1")]
    [InlineData("/api/account/sessions/revoke-others", "localhost")]
    public async Task ForgedFormPost_FromAnotherOrigin_IsRefusedAndSessionsSurvive(string path, string attackerHost)
    {
        var email = await RegisterAccountAsync();
        var account = await new LoginPage(Page).SignInAsync(email);
        using var otherDevice = Host.CreateClient();
        await otherDevice.LoginAsync(email);
        var target = new Uri(Host.Address, path);

        var forged = await Page.RunAndWaitForResponseAsync(
            () => Page.GotoAsync(attacker.ForgeryOf(target, attackerHost).ToString()),
            response => response.Request.Method == "POST" && new Uri(response.Url) == target);

        Assert.Equal((int)HttpStatusCode.Forbidden, forged.Status);
        await account.GotoAsync();
        await account.ExpectShownAsync();
        await Expect(account.SessionRows).ToHaveCountAsync(2);
        Assert.Equal(HttpStatusCode.OK, (await otherDevice.Http.GetAsync("/api/auth/me")).StatusCode);
    }
}
