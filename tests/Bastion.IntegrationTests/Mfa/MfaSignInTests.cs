using System.Net;
using System.Text.Json;
using Bastion.IntegrationTests.Tokens;

namespace Bastion.IntegrationTests.Mfa;

/// <summary>
/// TOTP enrolment and the two-step sign-in, through the real server: the password alone yields only an
/// <c>mfa_token</c>, which finishes once, with a code accepted once, and is worth nothing as a credential.
/// </summary>
public sealed class MfaSignInTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Setup_ReturnsTheSecretAsTextUriAndQrCodes_AndNothingCachesIt()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();

        var response = await client.Http.PostAsync("/api/account/mfa/totp/setup", null);
        var setup = await TestClient.ExpectAsync(response, HttpStatusCode.OK);

        var secret = setup.GetProperty("secret").GetString()!;
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        var uri = setup.GetProperty("otpauthUri").GetString()!;
        Assert.StartsWith("otpauth://totp/Bastion:", uri, StringComparison.Ordinal);
        Assert.Contains("secret=" + secret, uri, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(email), uri, StringComparison.Ordinal);
        var png = Convert.FromBase64String(setup.GetProperty("qrPng").GetString()!["data:image/png;base64,".Length..]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.StartsWith("<svg", setup.GetProperty("qrSvg").GetString()!.TrimStart(), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        // Not on until a code proves the app has the secret.
        var status = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/account/mfa"), HttpStatusCode.OK);
        Assert.False(status.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Confirm_WithAWrongCode_LeavesMfaOff_AndWithTheRightOne_ReturnsTenRecoveryCodes()
    {
        using var client = _host.CreateClient();
        await client.SignUpWithTokensAsync();
        var setup = await TestClient.ExpectAsync(await client.Http.PostAsync("/api/account/mfa/totp/setup", null), HttpStatusCode.OK);
        var app = Authenticator.FromSetup(setup);
        var wrong = app.CodeAt(_time.GetUtcNow()) == "000000" ? "111111" : "000000";

        await TestClient.ExpectProblemAsync(await client.PostJsonAsync("/api/account/mfa/totp/confirm", new { code = wrong }), HttpStatusCode.BadRequest, "validation_failed");
        var confirmed = await TestClient.ExpectAsync(
            await client.PostJsonAsync("/api/account/mfa/totp/confirm", new { code = app.CodeAt(_time.GetUtcNow()) }), HttpStatusCode.OK);

        var codes = confirmed.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$", c));
        var me = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.True(me.GetProperty("mfaEnabled").GetBoolean());
    }

    [Fact]
    public async Task Confirm_WithoutSetup_SaysTheEnrolmentExpired()
    {
        using var client = _host.CreateClient();
        await client.SignUpWithTokensAsync();

        await TestClient.ExpectProblemAsync(
            await client.PostJsonAsync("/api/account/mfa/totp/confirm", new { code = "123456" }), HttpStatusCode.BadRequest, "mfa_enrolment_expired");
    }

    [Fact]
    public async Task Login_WithMfaOn_GivesOnlyAnMfaToken_ThatIsNoAccessToken()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        await client.EnrolTotpAsync(_time.GetUtcNow());

        using var attacker = _host.CreateClient();
        var response = await attacker.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword, useCookie = true });
        var challenge = await TestClient.ExpectAsync(response, HttpStatusCode.OK);

        Assert.True(challenge.GetProperty("mfa_required").GetBoolean());
        Assert.Equal(["totp", "recovery_code"], challenge.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(300, challenge.GetProperty("expires_in").GetInt32());
        Assert.False(challenge.TryGetProperty("access_token", out _));
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.Contains("bastion", StringComparison.OrdinalIgnoreCase) && !c.Contains("antiforgery", StringComparison.OrdinalIgnoreCase)));

        // The half-finished sign-in opens nothing, neither as a bearer token nor through the cookie it did not get.
        attacker.UseBearer(challenge.GetProperty("mfa_token").GetString()!);
        await TestClient.ExpectProblemAsync(await attacker.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_invalid");
    }

    [Fact]
    public async Task MfaToken_WithTheRightCode_GivesTokensWhoseAmrSaysOtp_AndCannotBeUsedTwice()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(30));

        using var other = _host.CreateClient();
        var token = (await other.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;
        Assert.Null(other.Cookie("bastion.device"));
        var tokens = await TestClient.ExpectAsync(await other.FinishSignInAsync(token, "totp", app.CodeAt(_time.GetUtcNow())), HttpStatusCode.OK);
        // Only the completed sign-in makes this client familiar to the account (smart lockout).
        Assert.NotNull(other.Cookie("bastion.device"));

        var payload = JwtParts.Payload(JwtParts.Text(tokens, "access_token"));
        Assert.Equal(["pwd", "otp", "mfa"], payload["amr"]!.AsArray().Select(a => (string?)a));
        _time.Advance(TimeSpan.FromSeconds(30));
        await TestClient.ExpectProblemAsync(
            await other.FinishSignInAsync(token, "totp", app.CodeAt(_time.GetUtcNow())), HttpStatusCode.Unauthorized, "mfa_token_invalid");
    }

    [Fact]
    public async Task TotpCode_AcceptedOnce_IsRefusedTheSecondTimeWithinItsWindow()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(30));
        var code = app.CodeAt(_time.GetUtcNow());

        using var first = _host.CreateClient();
        await TestClient.ExpectAsync(await first.FinishSignInAsync((await first.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!, "totp", code), HttpStatusCode.OK);

        // An observer of that code replays it at once, then within the ±1 step window.
        using var replay = _host.CreateClient();
        await TestClient.ExpectProblemAsync(
            await replay.FinishSignInAsync((await replay.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!, "totp", code),
            HttpStatusCode.Unauthorized, "mfa_code_invalid");
        _time.Advance(TimeSpan.FromSeconds(25));
        await TestClient.ExpectProblemAsync(
            await replay.FinishSignInAsync((await replay.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!, "totp", code),
            HttpStatusCode.Unauthorized, "mfa_code_invalid");
    }

    [Theory]
    [InlineData(-30, true)]
    [InlineData(30, true)]
    [InlineData(-60, false)]
    [InlineData(60, false)]
    public async Task ClockDrift_OfOneStepIsAccepted_TwoStepsRefused(int driftSeconds, bool accepted)
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromMinutes(5));

        using var phone = _host.CreateClient();
        var token = (await phone.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;
        var response = await phone.FinishSignInAsync(token, "totp", app.CodeAt(_time.GetUtcNow().AddSeconds(driftSeconds)));

        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WrongCodes_WithdrawTheChallengeAfterFiveAttempts()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(30));
        var right = app.CodeAt(_time.GetUtcNow());
        var wrong = right == "000000" ? "111111" : "000000";

        using var guesser = _host.CreateClient();
        var token = (await guesser.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;
        for (var i = 0; i < 4; i++)
        {
            await TestClient.ExpectProblemAsync(await guesser.FinishSignInAsync(token, "totp", wrong), HttpStatusCode.Unauthorized, "mfa_code_invalid");
        }

        await TestClient.ExpectProblemAsync(await guesser.FinishSignInAsync(token, "totp", wrong), HttpStatusCode.Unauthorized, "mfa_token_invalid");
        await TestClient.ExpectProblemAsync(await guesser.FinishSignInAsync(token, "totp", right), HttpStatusCode.Unauthorized, "mfa_token_invalid");
    }

    [Fact]
    public async Task WrongCodes_AcrossManySignIns_LockSecondFactorEntry_AndTheRightPasswordDoesNotReopenIt()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(30));
        var right = app.CodeAt(_time.GetUtcNow());
        var wrong = right == "000000" ? "111111" : "000000";

        // Three guesses per sign-in, a fresh password sign-in each time, as from ever new addresses.
        using var guesser = _host.CreateClient();
        for (var signIn = 0; signIn < 4; signIn++)
        {
            var token = (await guesser.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;
            for (var guess = 0; guess < 3 && signIn * 3 + guess < 10; guess++)
            {
                await TestClient.ExpectProblemAsync(await guesser.FinishSignInAsync(token, "totp", wrong), HttpStatusCode.Unauthorized, "mfa_code_invalid");
            }
        }

        var last = (await guesser.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;
        var refused = await guesser.FinishSignInAsync(last, "totp", right);

        await TestClient.ExpectProblemAsync(refused, HttpStatusCode.TooManyRequests, "locked_out");
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task ParallelGuesses_WithOneMfaToken_ShareItsFiveAttempts()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());
        var wrong = app.CodeAt(_time.GetUtcNow().AddMinutes(10));
        using var guesser = _host.CreateClient();
        var token = (await guesser.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
            (await TestClient.ExpectAsync(await guesser.FinishSignInAsync(token, "totp", wrong), HttpStatusCode.Unauthorized)).GetProperty("code").GetString()));

        // Five attempts at most were checked: four say the code is wrong, the fifth and the rest that the sign-in is over.
        Assert.Equal(4, answers.Count(a => a == "mfa_code_invalid"));
        Assert.Equal(8, answers.Count(a => a == "mfa_token_invalid"));
    }

    [Fact]
    public async Task MfaToken_Expires()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());

        using var slow = _host.CreateClient();
        var token = (await slow.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        await TestClient.ExpectProblemAsync(
            await slow.FinishSignInAsync(token, "totp", app.CodeAt(_time.GetUtcNow())), HttpStatusCode.Unauthorized, "mfa_token_invalid");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ForgedMfaTokens_AreRefused(string token)
    {
        using var client = _host.CreateClient();

        await TestClient.ExpectProblemAsync(await client.FinishSignInAsync(token, "totp", "123456"), HttpStatusCode.Unauthorized, "mfa_token_invalid");
    }

    [Fact]
    public async Task UnknownMethod_IsAValidationError()
    {
        using var client = _host.CreateClient();

        var body = await TestClient.ExpectProblemAsync(await client.FinishSignInAsync("x", "sms", "123456"), HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(body.GetProperty("errors").TryGetProperty("method", out _));
    }

    [Fact]
    public async Task RecoveryCode_WorksOnce_AndRegeneratingWithdrawsTheOldSet()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (_, codes) = await client.EnrolTotpAsync(_time.GetUtcNow());

        using var lostPhone = _host.CreateClient();
        var tokens = await TestClient.ExpectAsync(
            await lostPhone.FinishSignInAsync((await lostPhone.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!, "recovery_code", codes[0].ToUpperInvariant()),
            HttpStatusCode.OK);
        Assert.Equal(["pwd", "recovery_code", "mfa"], JwtParts.Payload(JwtParts.Text(tokens, "access_token"))["amr"]!.AsArray().Select(a => (string?)a));
        await TestClient.ExpectProblemAsync(
            await lostPhone.FinishSignInAsync((await lostPhone.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!, "recovery_code", codes[0]),
            HttpStatusCode.Unauthorized, "mfa_code_invalid");
        var status = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/account/mfa"), HttpStatusCode.OK);
        Assert.Equal(9, status.GetProperty("recoveryCodesRemaining").GetInt32());

        var fresh = await TestClient.ExpectAsync(await client.Http.PostAsync("/api/account/mfa/recovery-codes", null), HttpStatusCode.OK);
        Assert.Equal(10, fresh.GetProperty("recoveryCodes").GetArrayLength());
        await TestClient.ExpectProblemAsync(
            await lostPhone.FinishSignInAsync((await lostPhone.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!, "recovery_code", codes[1]),
            HttpStatusCode.Unauthorized, "mfa_code_invalid");
    }

    [Fact]
    public async Task OneRecoveryCode_RacedByTwoSignIns_FinishesExactlyOne()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (_, codes) = await client.EnrolTotpAsync(_time.GetUtcNow());

        var clients = Enumerable.Range(0, 6).Select(_ => _host.CreateClient()).ToList();
        var tokens = new List<string>();
        foreach (var c in clients)
        {
            tokens.Add((await c.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!);
        }

        var responses = await Task.WhenAll(clients.Select((c, i) => c.FinishSignInAsync(tokens[i], "recovery_code", codes[3])));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task CookieSignIn_FinishedWithTotp_KeepsTheAmrInTheSession()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(30));

        using var browser = _host.CreateClient();
        var token = (await browser.StartSignInAsync(email, useCookie: true)).GetProperty("mfa_token").GetString()!;
        Assert.Null(browser.Cookie("__Host-bastion") ?? browser.Cookie("bastion"));
        await TestClient.ExpectAsync(await browser.FinishSignInAsync(token, "totp", app.CodeAt(_time.GetUtcNow())), HttpStatusCode.OK);

        var me = await TestClient.ExpectAsync(await browser.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Equal(["pwd", "otp", "mfa"], me.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.True(me.GetProperty("mfaEnabled").GetBoolean());
    }

    [Fact]
    public async Task PasswordChange_WithdrawsAPendingSignIn()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        var (app, _) = await client.EnrolTotpAsync(_time.GetUtcNow());
        using var attacker = _host.CreateClient();
        var token = (await attacker.StartSignInAsync(email)).GetProperty("mfa_token").GetString()!;

        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/account/password",
            new { currentPassword = TestClient.StrongPassword, newPassword = "An0ther-Long-Passphrase!" }), HttpStatusCode.NoContent);
        _time.Advance(TimeSpan.FromSeconds(30));

        await TestClient.ExpectProblemAsync(
            await attacker.FinishSignInAsync(token, "totp", app.CodeAt(_time.GetUtcNow())), HttpStatusCode.Unauthorized, "mfa_token_invalid");
    }

    [Fact]
    public async Task DisablingTotp_RemovesRecoveryCodes_AndTheNextLoginGivesTokensAtOnce()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        await client.EnrolTotpAsync(_time.GetUtcNow());

        await TestClient.ExpectAsync(await client.Http.DeleteAsync("/api/account/mfa/totp"), HttpStatusCode.NoContent);

        var status = await TestClient.ExpectAsync(await client.Http.GetAsync("/api/account/mfa"), HttpStatusCode.OK);
        Assert.False(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, status.GetProperty("recoveryCodesRemaining").GetInt32());
        using var again = _host.CreateClient();
        var tokens = await again.LoginForTokensAsync(email);
        Assert.True(tokens.TryGetProperty("access_token", out _));
    }
}
