using Microsoft.Playwright;

namespace Bastion.BrowserTests.Protection;

[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser, ServerFixture server) : BrowserTest(browser, server)
{
    /// <summary>
    /// Injects an inline script through the DOM, as an XSS payload would, and answers "ran" if it executed or
    /// "blocked:" and the CSP directive that refused it.
    /// </summary>
    private const string InjectInlineScript =
        """
        () => new Promise(resolve => {
            document.addEventListener('securitypolicyviolation', e => resolve('blocked:' + e.effectiveDirective), { once: true });
            const script = document.createElement('script');
            script.textContent = 'window.injected = true;';
            document.body.appendChild(script);
            if (window.injected === true) resolve('ran');
        })
        """;

    [Fact]
    public async Task InjectedInlineScript_OnBastionPage_IsBlockedByCsp()
    {
        await Page.GotoAsync("/login");

        var outcome = await Page.EvaluateAsync<string>(InjectInlineScript);

        Assert.Equal("blocked:script-src-elem", outcome);
        Assert.True(await Page.EvaluateAsync<bool>("() => window.injected === undefined"));
    }

    [Fact]
    public async Task InjectedInlineScript_OnPageWithoutCsp_Runs()
    {
        // The control for the test above: the same injection does run where no policy forbids it.
        await Page.SetContentAsync("<!DOCTYPE html><html><body><p>No policy here.</p></body></html>");

        Assert.Equal("ran", await Page.EvaluateAsync<string>(InjectInlineScript));
    }
}
