using System.Net;
using System.Text.RegularExpressions;

namespace Bastion.IntegrationTests.Mfa;

/// <summary>The web pages: /account/security turns TOTP on with a QR code, /login then asks for the code at /login/mfa.</summary>
public sealed partial class MfaPageTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<HttpResponseMessage> SubmitAsync(TestClient client, string page, string handler, Dictionary<string, string>? fields = null)
    {
        fields ??= [];
        fields["__RequestVerificationToken"] = await client.GetFormTokenAsync(page);
        return await client.PostFormAsync(handler.Length == 0 ? page : $"{page}?handler={handler}", fields);
    }

    private static async Task<HttpResponseMessage> LoginPageAsync(TestClient client, string email)
        => await SubmitAsync(client, "/login", "", new() { ["Input.Email"] = email, ["Input.Password"] = TestClient.StrongPassword });

    [Fact]
    public async Task TotpTurnedOnThroughTheSecurityPage_IsAskedForByTheLoginPage()
    {
        using var browser = _host.CreateClient();
        var email = await browser.SignUpAndLoginAsync();

        var setup = await (await SubmitAsync(browser, "/account/security", "SetupTotp")).Content.ReadAsStringAsync();
        var secret = SecretText().Match(setup).Groups[1].Value;
        Assert.Contains("data:image/png;base64,", setup, StringComparison.Ordinal);
        var app = new Authenticator(Bastion.Mfa.Base32.Decode(secret));
        var confirmed = await (await SubmitAsync(browser, "/account/security", "ConfirmTotp", new() { ["code"] = app.CodeAt(_time.GetUtcNow()) })).Content.ReadAsStringAsync();
        Assert.Contains("Your recovery codes", confirmed, StringComparison.Ordinal);
        Assert.Equal(10, RecoveryCode().Count(confirmed));

        using var other = _host.CreateClient();
        var afterPassword = await LoginPageAsync(other, email);
        Assert.Equal(HttpStatusCode.Redirect, afterPassword.StatusCode);
        Assert.StartsWith("/login/mfa", afterPassword.Headers.Location?.OriginalString, StringComparison.Ordinal);
        await TestClient.ExpectProblemAsync(await other.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");

        _time.Advance(TimeSpan.FromSeconds(30));
        var finished = await SubmitAsync(other, "/login/mfa", "", new() { ["Method"] = "totp", ["Code"] = app.CodeAt(_time.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.Redirect, finished.StatusCode);
        Assert.Equal("/account", finished.Headers.Location?.OriginalString);
        var me = await TestClient.ExpectAsync(await other.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Contains("mfa", me.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task LoginMfaPage_WithoutAPendingSignIn_SendsBackToLogin()
    {
        using var client = _host.CreateClient();

        var response = await client.Http.GetAsync("/login/mfa");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecurityPage_AfterStepUpMaxAge_AsksForThePasswordBeforeAChange()
    {
        using var browser = _host.CreateClient();
        await browser.SignUpAndLoginAsync();
        _time.Advance(TimeSpan.FromMinutes(11));

        var refused = await (await SubmitAsync(browser, "/account/security", "SetupTotp")).Content.ReadAsStringAsync();
        Assert.Contains("Confirm it is you first", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("totp-secret", refused, StringComparison.Ordinal);

        await SubmitAsync(browser, "/account/security", "Reauthenticate", new() { ["password"] = TestClient.StrongPassword });
        var allowed = await (await SubmitAsync(browser, "/account/security", "SetupTotp")).Content.ReadAsStringAsync();
        Assert.Contains("totp-secret", allowed, StringComparison.Ordinal);
    }

    [GeneratedRegex("id=\"totp-secret\">([A-Z2-7]+)<")]
    private static partial Regex SecretText();

    [GeneratedRegex("<code>[0-9a-z]{5}-[0-9a-z]{5}</code>")]
    private static partial Regex RecoveryCode();
}
