using System.Net;
using System.Text.Json;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bastion.IntegrationTests.Accounts;

public sealed class LoginTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Login_UnknownEmailAndWrongPassword_AnswerIdentically()
    {
        using var client = _host.CreateClient();
        await client.RegisterAsync("known@example.com");

        var unknown = await client.PostJsonAsync("/api/auth/login", new { email = "unknown@example.com", password = "Wr0ng-Password!" });
        var wrong = await client.PostJsonAsync("/api/auth/login", new { email = "known@example.com", password = "Wr0ng-Password!" });

        Assert.Equal(unknown.StatusCode, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(WithoutRequestIds(await unknown.Content.ReadAsStringAsync()), WithoutRequestIds(await wrong.Content.ReadAsStringAsync()));
        Assert.Equal(unknown.Headers.Select(h => h.Key).Order(), wrong.Headers.Select(h => h.Key).Order());
        Assert.False(unknown.Headers.Contains("Set-Cookie") || wrong.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Login_IsCaseInsensitiveOnEmail()
    {
        using var client = _host.CreateClient();
        await client.RegisterAsync("Mixed.Case@Example.com");
        await client.LoginAsync("MIXED.case@example.COM");
    }

    [Fact]
    public async Task Login_ThroughTheApi_SetsAHttpOnlyLaxSessionCookie()
    {
        using var client = _host.CreateClient();
        var email = $"flags-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email);
        var response = await client.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword, useCookie = true });
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("bastion=", StringComparison.Ordinal));
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", setCookie, StringComparison.OrdinalIgnoreCase);

        var cookie = client.Cookie("bastion");
        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly);
        Assert.False(cookie.Secure);
        Assert.Equal("/", cookie.Path);
        Assert.Equal(43, cookie.Value.Length);
    }

    [Fact]
    public async Task Me_WithoutSession_Answers401Problem()
    {
        using var client = _host.CreateClient();
        await TestClient.ExpectProblemAsync(await client.Http.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Login_WhenHashParametersChanged_RehashesThePassword()
    {
        var storage = await TestStorage.CreateAsync();
        await using (storage)
        {
            await using (var before = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bastion:Passwords:Hashing:Algorithm"] = "Pbkdf2Sha512" }, storage))
            {
                using var client = before.CreateClient();
                await client.RegisterAsync("rehash@example.com");
                Assert.StartsWith("$pbkdf2-sha512$", await StoredHashAsync(before, "rehash@example.com"));
            }

            await using var after = await TestHost.StartAsync(storage: storage);
            using var again = after.CreateClient();
            await again.LoginAsync("rehash@example.com");
            Assert.StartsWith("$argon2id$", await StoredHashAsync(after, "rehash@example.com"));
            await after.CreateClient().LoginAsync("rehash@example.com");
        }
    }

    private static async Task<string> StoredHashAsync(TestHost host, string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
        return await db.Users.Where(u => u.NormalizedEmail == email).Select(u => u.PasswordHash).SingleAsync();
    }

    private static string WithoutRequestIds(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("traceId");
        node.Remove("requestId");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
