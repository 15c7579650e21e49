using System.Net;
using Bastion.Tokens;

namespace Bastion.IntegrationTests.Tokens;

public sealed class KeyRotationTests : IAsyncLifetime
{
    private const string AdminEmail = "root@example.com";
    private const string AdminPassword = "Sup3r-Secret-Admin!";
    private readonly ManualTimeProvider _time = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(
        new Dictionary<string, string?>
        {
            ["Bastion:Bootstrap:AdminEmail"] = AdminEmail,
            ["Bastion:Bootstrap:AdminPassword"] = AdminPassword,
        },
        configure: builder => builder.Services.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SigningKeyRing Ring => _host.Services.GetRequiredService<SigningKeyRing>();

    [Fact]
    public async Task Rotate_OnDemand_NewKeySignsAfterTheActivationDelayAndOldTokensStayValidUntilTheyExpire()
    {
        using var admin = _host.CreateClient();
        var before = JwtParts.Text(await admin.LoginForTokensAsync(AdminEmail, AdminPassword), "access_token");
        var oldKid = (string)JwtParts.Header(before)["kid"]!;
        admin.UseBearer(before);

        var rotated = await TestClient.ExpectAsync(await admin.Http.PostAsync("/api/admin/keys/rotate", null), HttpStatusCode.OK);
        var newKid = JwtParts.Text(rotated, "kid");

        // Published at once, signing only after the delay, so that every node knows it first.
        Assert.Contains(newKid, await admin.Http.GetStringAsync("/.well-known/jwks.json"), StringComparison.Ordinal);
        Assert.Equal(oldKid, Kid(JwtParts.Text(await _host.CreateClient().LoginForTokensAsync(AdminEmail, AdminPassword), "access_token")));

        _time.Advance(TimeSpan.FromSeconds(61));
        await Ring.ReloadAsync(CancellationToken.None);
        using var later = _host.CreateClient();
        var after = JwtParts.Text(await later.LoginForTokensAsync(AdminEmail, AdminPassword), "access_token");
        Assert.Equal(newKid, Kid(after));
        await TestClient.ExpectAsync(await admin.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);

        // Once every token the old key signed has expired, it is no longer published, and a token naming it is
        // refused before its claims are even read.
        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(31));
        await Ring.ReloadAsync(CancellationToken.None);
        Assert.DoesNotContain(oldKid, await admin.Http.GetStringAsync("/.well-known/jwks.json"), StringComparison.Ordinal);
        await TestClient.ExpectProblemAsync(await admin.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "token_invalid");
    }

    [Fact]
    public async Task Rotate_OnSchedule_HappensOnceTheIntervalHasPassed()
    {
        var kid = Kid(Ring);
        await Ring.RotateIfDueAsync(CancellationToken.None);
        await Ring.ReloadAsync(CancellationToken.None);
        Assert.Equal(kid, Kid(Ring));

        _time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        await Ring.RotateIfDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        await Ring.ReloadAsync(CancellationToken.None);

        Assert.NotEqual(kid, Kid(Ring));
    }

    [Fact]
    public async Task Rotate_ByANonAdministrator_IsForbidden()
    {
        using var client = _host.CreateClient();
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        client.UseBearer(JwtParts.Text(await client.LoginForTokensAsync(email), "access_token"));

        await TestClient.ExpectProblemAsync(await client.Http.PostAsync("/api/admin/keys/rotate", null), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task PrivateKeys_AreStoredEncrypted()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Bastion.Storage.BastionDbContext>();
        foreach (var key in db.SigningKeys)
        {
            var stored = Convert.FromBase64String(key.PrivateKey);
            Assert.Throws<System.Security.Cryptography.CryptographicException>(() =>
            {
                using var rsa = System.Security.Cryptography.RSA.Create();
                rsa.ImportPkcs8PrivateKey(stored, out _);
            });
            Assert.DoesNotContain("\"d\"", key.PublicJwk, StringComparison.Ordinal);
        }
    }

    private static string Kid(string jwt) => (string)JwtParts.Header(jwt)["kid"]!;

    private static string Kid(SigningKeyRing ring) => ring.SigningCredentials.Key.KeyId;
}
