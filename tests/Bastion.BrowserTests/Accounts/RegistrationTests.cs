using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Bastion.BrowserTests.Accounts;

[Collection(BrowserCollection.Name)]
public sealed partial class RegistrationTests(BrowserFixture browser, ServerFixture server) : BrowserTest(browser, server)
{
    [Fact]
    public async Task Register_ThenSignIn_ShowsAccountWithCurrentSession()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
        var register = await new RegisterPage(Page).GotoAsync();

        await register.SubmitAsync("Ada Lovelace", email, TestClient.StrongPassword);

        var login = new LoginPage(Page);
        await Expect(Page).ToHaveURLAsync(RegisteredNotice());
        await Expect(login.Notice).ToHaveTextAsync("Your account is ready. Sign in to continue.");

        var account = await login.SignInAsync(email);

        await Expect(Page.GetByText(email)).ToBeVisibleAsync();
        await Expect(account.SessionRows).ToHaveCountAsync(1);
        await Expect(account.CurrentSession).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Register_WithWeakPassword_ShowsEachErrorBesideItsLabelledField()
    {
        var register = await new RegisterPage(Page).GotoAsync();

        await register.SubmitAsync(fullName: "", email: "not-an-email", password: "short");

        await Expect(Page.Locator(".field-error").First).ToBeVisibleAsync();
        foreach (var field in new[] { register.FullName, register.Email, register.Password })
        {
            var beside = await RegisterPage.ErrorsBesideAsync(field);
            var described = await RegisterPage.DescribedErrorsAsync(field);

            // Every message shown beside a field is also in its accessible description.
            Assert.NotEmpty(beside);
            Assert.Equal(beside, described);
            foreach (var error in beside)
            {
                await Expect(field).ToHaveAccessibleDescriptionAsync(new Regex(Regex.Escape(error)));
            }
        }

        var passwordErrors = await RegisterPage.ErrorsBesideAsync(register.Password);
        Assert.Contains("Use at least 8 characters.", passwordErrors);
        Assert.True(passwordErrors.Count >= 3, string.Join(" | ", passwordErrors));
    }

    [GeneratedRegex(@"/login\?registered=true$")]
    private static partial Regex RegisteredNotice();
}
