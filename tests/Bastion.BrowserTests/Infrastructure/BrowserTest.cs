using Microsoft.Playwright;

namespace Bastion.BrowserTests.Infrastructure;

/// <summary>
/// Base for a browser test: the class's server, and a fresh browser context (its own cookies and storage, like
/// a new browser profile) per test. A test that needs a second browser asks for one with <see cref="NewContextAsync"/>.
/// </summary>
public abstract class BrowserTest(BrowserFixture browser, ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    /// <summary>The session cookie's name over plain HTTP (no <c>__Host-</c> prefix, which needs Secure).</summary>
    protected const string SessionCookieName = "bastion";

    private readonly List<IBrowserContext> _contexts = [];

    internal TestHost Host => server.Host;

    protected IBrowserContext Context { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Context = await NewContextAsync();
        Page = await Context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Another browser context on the same browser, closed with the test.</summary>
    protected async Task<IBrowserContext> NewContextAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Host.Address.ToString() });
        context.SetDefaultTimeout(BrowserFixture.TimeoutMilliseconds);
        _contexts.Add(context);
        return context;
    }

    /// <summary>Creates an account through the JSON API, for tests about something other than registering.</summary>
    protected async Task<string> RegisterAccountAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        using var client = Host.CreateClient();
        await client.RegisterAsync(email);
        return email;
    }

    /// <summary>The session cookie as this context's browser holds it, or null.</summary>
    protected async Task<BrowserContextCookiesResult?> SessionCookieAsync(IBrowserContext context)
        => (await context.CookiesAsync([Host.Address.ToString()])).SingleOrDefault(c => c.Name == SessionCookieName);
}
