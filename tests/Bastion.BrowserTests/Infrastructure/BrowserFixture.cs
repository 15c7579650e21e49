using Microsoft.Playwright;

namespace Bastion.BrowserTests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for a whole test collection, driven through Playwright's bundled driver.
/// Playwright's own browser download is never used: the machine has no network beyond package registries.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Long enough for a page on a busy 2-core machine, short enough that a missing element fails quickly.</summary>
    public const float TimeoutMilliseconds = 10_000;

    // --no-sandbox: the suite runs as root, where Chromium's sandbox cannot start. The rest: the machine's network
    // is closed, and without them Chromium keeps dialling update, sync and QUIC endpoints.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}: install Debian's 'chromium' package (scripts/test.sh does).");
        }

        Assertions.SetDefaultExpectTimeout(TimeoutMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
