using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bastion.BrowserTests.Pages;

/// <summary>The account page, <c>/account</c>: profile, the sessions table and the sign-out buttons.</summary>
internal sealed partial class AccountPage(IPage page)
{
    private const string CurrentSessionTag = "this browser";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Your account", Level = 1 });

    public ILocator Notice => page.GetByRole(AriaRole.Status);

    /// <summary>One row per session, the header row excluded.</summary>
    public ILocator SessionRows => page.GetByRole(AriaRole.Table).Locator("tbody").GetByRole(AriaRole.Row);

    public ILocator CurrentSession => SessionRows.Filter(new() { HasText = CurrentSessionTag });

    public ILocator OtherSessions => SessionRows.Filter(new() { HasNotText = CurrentSessionTag });

    private ILocator MainNavigation => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    public async Task<AccountPage> GotoAsync()
    {
        await page.GotoAsync("/account");
        return this;
    }

    public async Task ExpectShownAsync()
    {
        await Expect(page).ToHaveURLAsync(AccountPath());
        await Expect(Heading).ToBeVisibleAsync();
    }

    /// <summary>Ends the one other session with its "End" button and waits for the page to confirm.</summary>
    public async Task EndOtherSessionAsync()
    {
        await OtherSessions.GetByRole(AriaRole.Button, new() { Name = "End", Exact = true }).ClickAsync();
        await Expect(Notice).ToHaveTextAsync("The session has ended.");
    }

    /// <summary>Signs out with the button in the site header and waits for the signed-out header.</summary>
    public async Task SignOutAsync()
    {
        await MainNavigation.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Expect(MainNavigation.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [GeneratedRegex("/account$")]
    private static partial Regex AccountPath();
}
