using Microsoft.Playwright;

namespace Bastion.BrowserTests.Pages;

/// <summary>The registration page, <c>/register</c>.</summary>
internal sealed class RegisterPage(IPage page)
{
    public ILocator FullName => page.GetByLabel("Full name");

    public ILocator Email => page.GetByLabel("E-mail");

    public ILocator Password => page.GetByLabel("Password");

    public async Task<RegisterPage> GotoAsync()
    {
        await page.GotoAsync("/register");
        return this;
    }

    /// <summary>Fills and submits the form; the caller waits for what the answer shows.</summary>
    public async Task SubmitAsync(string fullName, string email, string password)
    {
        await FullName.FillAsync(fullName);
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
    }

    /// <summary>
    /// The field errors its <c>aria-describedby</c> points at, resolved the way assistive technology does.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DescribedErrorsAsync(ILocator field)
        => await field.EvaluateAsync<string[]>(
            """
            field => (field.getAttribute('aria-describedby') ?? '')
                .split(/\s+/)
                .map(id => document.getElementById(id))
                .filter(element => element?.classList.contains('field-error'))
                .flatMap(element => [...element.querySelectorAll('p')].map(p => p.textContent.trim()))
            """);

    /// <summary>The error paragraphs between a field and the next label or button: what a reader sees beside it.</summary>
    public static async Task<IReadOnlyList<string>> ErrorsBesideAsync(ILocator field)
        => await field.EvaluateAsync<string[]>(
            """
            field => {
                const errors = [];
                for (let node = field.nextElementSibling; node && !node.matches('label, button'); node = node.nextElementSibling) {
                    if (node.classList.contains('field-error')) node.querySelectorAll('p').forEach(p => errors.push(p.textContent.trim()));
                }
                return errors;
            }
            """);
}
