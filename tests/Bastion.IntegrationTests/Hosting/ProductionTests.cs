using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Bastion.IntegrationTests.Hosting;

public sealed class ProductionTests
{
    private static readonly string GoodMasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A complete, valid production configuration; each test changes one thing.</summary>
    private static Dictionary<string, string?> Production(params (string Key, string? Value)[] changes)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bastion:Secrets:MasterKey"] = GoodMasterKey,
            ["Bastion:Encryption:Keys:1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Bastion:Encryption:CurrentVersion"] = "1",
            ["Bastion:Encryption:BlindIndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Bastion:Email:From"] = "security@bastion.example",
            ["Bastion:Email:PublicBaseUrl"] = "https://bastion.example",
            ["Bastion:Email:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "bastion-tests", Guid.NewGuid().ToString("N"), "outbox"),
            ["AllowedHosts"] = "127.0.0.1;localhost",
            ["Bastion:Transport:AllowUnscannedUploads"] = "true",
        };
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Production_WithoutMasterKey_RefusesToStartAndSaysWhatToSet()
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(
            Production(("Bastion:Secrets:MasterKey", null)), environment: "Production"));
        Assert.Contains("Bastion:Secrets:MasterKey is required in production", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c2hvcnQ=", "shorter than 256 bits")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "placeholder")]
    [InlineData("not base64!", "not base64")]
    public async Task Production_WithWeakMasterKey_RefusesToStart(string key, string reason)
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(
            Production(("Bastion:Secrets:MasterKey", key)), environment: "Production"));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithInsecureCookies_RefusesToStart()
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(
            Production(("Bastion:Sessions:SecureCookies", "false")),
            environment: "Production"));
        Assert.Contains("SecureCookies", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bastion:Database:Provider", "Postgres", "Bastion:Database:ConnectionString", "Host=127.0.0.1;Username=bastion;Password=secret", "Bastion:Database:ConnectionString has a weak or missing password")]
    [InlineData("Bastion:Database:Provider", "Postgres", "Bastion:Database:ConnectionString", "Host=127.0.0.1;Username=bastion", "Bastion:Database:ConnectionString has a weak or missing password")]
    [InlineData("Bastion:State:Provider", "Redis", "Bastion:State:Redis", "127.0.0.1:6379", "Bastion:State:Redis has a weak or missing password")]
    [InlineData("Bastion:State:Provider", "Redis", "Bastion:State:Redis", "127.0.0.1:6379,password=aaaaaaaaaaaaaaaaaaaa", "Bastion:State:Redis has a weak or missing password")]
    public async Task Production_WithWeakServicePassword_RefusesToStart(string providerKey, string provider, string key, string value, string message)
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(
            Production((providerKey, provider), (key, value)),
            environment: "Production"));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharedStorage_WithoutMasterKey_RefusesToStartEvenInDevelopment()
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(
            new Dictionary<string, string?> { ["Bastion:Secrets:MasterKey"] = null, ["Bastion:State:Provider"] = "Redis", ["Bastion:State:Redis"] = "127.0.0.1:1" }));
        Assert.Contains("must be the same on every node", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyEnvironment_WithWildcardCorsAndCredentials_RefusesToStart()
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(
            new Dictionary<string, string?> { ["Bastion:Cors:AllowedOrigins:0"] = "*" }));
        Assert.Contains("may not contain '*'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bootstrap_WithWeakAdminPassword_RefusesToStart()
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(
            new Dictionary<string, string?> { ["Bastion:Bootstrap:AdminEmail"] = "root@example.com", ["Bastion:Bootstrap:AdminPassword"] = "admin123" }));
        Assert.Contains("Bastion:Bootstrap:AdminPassword", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_OverHttps_UsesHostPrefixedSecureCookiesAndHsts()
    {
        await using var host = await TestHost.StartAsync(
            Production(),
            environment: "Production", httpsCertificate: TestCertificate.Localhost,
            // The framework leaves HSTS off for loopback hosts; the test server is one.
            configure: builder => builder.Services.PostConfigure<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>(o => o.ExcludedHosts.Clear()));
        using var client = host.CreateClient();

        var email = await client.SignUpAndLoginAsync();
        var page = await client.Http.GetAsync("/login");

        var session = client.Cookie("__Host-bastion");
        Assert.NotNull(session);
        Assert.True(session.Secure);
        Assert.True(session.HttpOnly);
        Assert.Null(client.Cookie("bastion"));
        Assert.NotNull(client.Cookie("__Host-bastion.csrf"));
        var hsts = page.Headers.GetValues("Strict-Transport-Security").Single();
        var maxAge = int.Parse(hsts.Split(';')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(maxAge >= 31_536_000, hsts);
        Assert.Contains(email, (await TestClient.ExpectAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK)).GetProperty("email").GetString(), StringComparison.Ordinal);

        // Error answers keep HSTS and the other headers although the exception handler rewrites the response.
        using var anonymous = host.CreateClient();
        var error = await anonymous.PostRawJsonAsync("/api/auth/register", "{bad");
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(hsts, error.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal("nosniff", error.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("Bastion:Network:RequireHttps", "false", "RequireHttps=false is refused in production")]
    [InlineData("Bastion:Network:HstsMaxAge", "00:00:01", "HstsMaxAge must be at least 365 days")]
    [InlineData("Bastion:Passwords:Hashing:Pbkdf2Iterations", "20000000", "Pbkdf2Iterations may be at most")]
    [InlineData("Bastion:Passwords:Hashing:MemoryKiB", "2147483647", "MemoryKiB may be at most")]
    public async Task Production_WithUnsafeNetworkOrHashingSettings_RefusesToStart(string key, string value, string message)
    {
        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(
            Production((key, value)), environment: "Production"));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> InsecureTransport => new()
    {
        { ["AllowedHosts", "*"], "Set AllowedHosts to this site's host names" },
        { ["AllowedHosts", ""], "Set AllowedHosts to this site's host names" },
        { ["Bastion:Database:Provider", "Postgres", "Bastion:Database:ConnectionString", $"Host=db.example.com;Username=bastion;Password={StrongPassword}"], "Add 'SSL Mode=VerifyFull'" },
        { ["Bastion:Database:Provider", "Postgres", "Bastion:Database:ConnectionString", $"Host=db.example.com;Username=bastion;Password={StrongPassword};SSL Mode=Require"], "Bastion:Transport:AllowInsecureDatabase=true" },
        { ["Bastion:State:Provider", "Redis", "Bastion:State:Redis", $"redis.example.com:6379,password={StrongPassword}"], "Bastion:Transport:AllowInsecureRedis=true" },
        { ["Bastion:Transport:AllowUnscannedUploads", null!], "Set Bastion:Uploads:ClamAv:Socket or Bastion:Uploads:ClamAv:Host" },
    };

    private static string StrongPassword { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    [Theory]
    [MemberData(nameof(InsecureTransport))]
    public async Task Production_WithInsecureTransport_RefusesToStartAndSaysWhatToSet(string[] changes, string message)
    {
        var pairs = changes.Chunk(2).Select(p => (p[0], (string?)p[1])).ToArray();

        var error = await StartupFailure.MessageAsync(() => TestHost.StartAsync(Production(pairs), environment: "Production"));

        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithAnyHostAllowedExplicitly_StartsAndWarns()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHost.StartAsync(
            Production(("AllowedHosts", "*"), ("Bastion:Transport:AllowAnyHost", "true")),
            environment: "Production",
            configure: builder => builder.Logging.AddProvider(logs));

        Assert.Contains(logs.Entries, e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("Bastion:Transport:AllowAnyHost=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bootstrap_WhenTheAddressIsAlreadyRegistered_PromotesNobody()
    {
        var storage = await TestStorage.CreateAsync();
        await using (storage)
        {
            await using (var first = await TestHost.StartAsync(storage: storage))
            {
                using var squatter = first.CreateClient();
                await squatter.RegisterAsync("Root@Corp.example");
            }

            await using var second = await TestHost.StartAsync(new Dictionary<string, string?>
            {
                ["Bastion:Bootstrap:AdminEmail"] = "root@corp.example",
                ["Bastion:Bootstrap:AdminPassword"] = "Sup3r-Secret-Admin!",
            }, storage);
            using var client = second.CreateClient();
            var me = await client.LoginAsync("root@corp.example");
            Assert.Equal(["viewer"], me.GetProperty("user").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            using var admin = second.CreateClient();
            await admin.LoginAsync("root@corp.example", "Sup3r-Secret-Admin!", HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task Bootstrap_CreatesTheFirstSuperAdminOnce()
    {
        var storage = await TestStorage.CreateAsync();
        await using (storage)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Bastion:Bootstrap:AdminEmail"] = "root@example.com",
                ["Bastion:Bootstrap:AdminPassword"] = "Sup3r-Secret-Admin!",
            };
            await using (var first = await TestHost.StartAsync(settings, storage))
            {
                using var client = first.CreateClient();
                var me = await client.LoginAsync("root@example.com", "Sup3r-Secret-Admin!");
                Assert.Equal(["super_admin"], me.GetProperty("user").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            }

            // A restart with another password in configuration neither creates a second admin nor resets the first.
            settings["Bastion:Bootstrap:AdminPassword"] = "An0ther-Secret-Admin!";
            await using var second = await TestHost.StartAsync(settings, storage);
            using var withOld = second.CreateClient();
            await withOld.LoginAsync("root@example.com", "Sup3r-Secret-Admin!");
            using var withNew = second.CreateClient();
            await withNew.LoginAsync("root@example.com", "An0ther-Secret-Admin!", HttpStatusCode.Unauthorized);
        }
    }
}
