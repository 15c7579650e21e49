using Microsoft.Playwright;

namespace Bastion.BrowserTests.Pages;

/// <summary>The sign-in page, <c>/login</c>.</summary>
internal sealed class LoginPage(IPage page)
{
    public ILocator Email => page.GetByLabel("E-mail");

    public ILocator Password => page.GetByLabel("Password");

    /// <summary>The status message shown after registering.</summary>
    public ILocator Notice => page.GetByRole(AriaRole.Status);

    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 });

    public async Task<LoginPage> GotoAsync()
    {
        await page.GotoAsync("/login");
        return this;
    }

    /// <summary>Fills and submits the form; the caller waits for what the answer shows.</summary>
    public async Task SubmitAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>Signs in from a fresh <c>/login</c> and expects to land on the account page.</summary>
    public async Task<AccountPage> SignInAsync(string email, string password = TestClient.StrongPassword)
    {
        await GotoAsync();
        await SubmitAsync(email, password);
        var account = new AccountPage(page);
        await account.ExpectShownAsync();
        return account;
    }
}
