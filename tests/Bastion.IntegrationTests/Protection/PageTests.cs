using System.Net;

namespace Bastion.IntegrationTests.Protection;

public sealed class PageTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task LoginPage_WithForeignReturnUrl_RedirectsToTheAccountPage(string returnUrl)
    {
        using var client = _host.CreateClient();
        await client.RegisterAsync("redirect@example.com");
        var token = await client.GetFormTokenAsync("/login");

        var response = await client.PostFormAsync("/login", new Dictionary<string, string>
        {
            ["Input.Email"] = "redirect@example.com",
            ["Input.Password"] = TestClient.StrongPassword,
            ["ReturnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = token,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task LoginPage_WithLocalReturnUrl_RedirectsThere()
    {
        using var client = _host.CreateClient();
        await client.RegisterAsync("local@example.com");
        var token = await client.GetFormTokenAsync("/login");

        var response = await client.PostFormAsync("/login", new Dictionary<string, string>
        {
            ["Input.Email"] = "local@example.com",
            ["Input.Password"] = TestClient.StrongPassword,
            ["ReturnUrl"] = "/account?tab=sessions",
            ["__RequestVerificationToken"] = token,
        });

        Assert.Equal("/account?tab=sessions", response.Headers.Location?.OriginalString);
        var account = await client.Http.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Contains("local@example.com", await account.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountPage_Anonymous_RedirectsToLoginWithReturnUrl()
    {
        using var client = _host.CreateClient();
        var response = await client.Http.GetAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Faccount", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task RegisterPage_WithInvalidFields_ShowsEachErrorBesideItsLabelledField()
    {
        using var client = _host.CreateClient();
        var token = await client.GetFormTokenAsync("/register");

        var response = await client.PostFormAsync("/register", new Dictionary<string, string>
        {
            ["Input.FullName"] = "",
            ["Input.Email"] = "not-an-email",
            ["Input.Password"] = "short",
            ["__RequestVerificationToken"] = token,
        });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<label for=\"Input_Email\">", html, StringComparison.Ordinal);
        Assert.Contains("id=\"Input-Email-error\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"Input-FullName-error\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"Input-Password-error\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LogoutPage_Post_EndsTheSession()
    {
        using var client = _host.CreateClient();
        await client.SignUpAndLoginAsync();
        var value = client.Cookie("bastion")!.Value;
        var token = await client.GetFormTokenAsync("/account");

        var response = await client.PostFormAsync("/logout", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var replay = _host.CreateClient();
        replay.Cookies.Add(_host.Address, new System.Net.Cookie("bastion", value));
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Theory]
    [InlineData("/reset-password?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/verify-email?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task PagesOpenedFromAMailedLink_AreNeverCached_AndSendNoRefererToOtherSites(string link)
    {
        using var client = _host.CreateClient();

        var response = await client.Http.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }
}
