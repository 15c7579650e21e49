using System.Net;
using System.Text;
using Bastion.Redis;
using Bastion.Sessions;
using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.IntegrationTests.Sessions;

/// <summary>
/// Session records are sealed in the state store: a copy of it shows neither who is signed in nor from where, and a
/// record moved under another session's key does not open.
/// </summary>
public sealed class SessionRecordSealingTests : IAsyncLifetime
{
    private const string FullName = "Ottilie Brandeis";
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task StoredRecords_HoldNoPersonalData_AndSwappingTwoRecordsFailsClosed()
    {
        var (first, firstEmail) = await SignInAsync(_host);
        var (second, _) = await SignInAsync(_host);
        var store = _host.Services.GetRequiredService<IStateStore>();
        var firstKey = SessionKey(_host, first);
        var secondKey = SessionKey(_host, second);
        var firstValue = (await store.GetAsync(firstKey))!;
        var secondValue = (await store.GetAsync(secondKey))!;

        AssertNothingPersonal(firstValue, firstEmail);
        Assert.Equal(1, (await TestClient.ExpectAsync(await first.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK)).GetArrayLength());

        await store.SetAsync(firstKey, secondValue, TimeSpan.FromHours(1));
        await store.SetAsync(secondKey, firstValue, TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.Http.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task APlainRecordFromBeforeSealing_IsNoSession()
    {
        var (client, _) = await SignInAsync(_host);
        var store = _host.Services.GetRequiredService<IStateStore>();
        var plain = Encoding.UTF8.GetBytes(
            $$"""{"userId":"{{Guid.NewGuid()}}","email":"x@example.com","fullName":"X","roles":["super_admin"],"amr":["pwd"],"createdAt":"{{DateTimeOffset.UtcNow:O}}","lastSeenAt":"{{DateTimeOffset.UtcNow:O}}","expiresAt":"{{DateTimeOffset.UtcNow.AddHours(1):O}}"}""");

        await store.SetAsync(SessionKey(_host, client), plain, TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [ProductionStorageFact]
    public async Task InRedis_TheRawValueHoldsNoPersonalData_AndTheSessionWorksOnASecondNode()
    {
        await using var second = await TestHost.StartAsync(storage: _host.Storage);
        var (client, email) = await SignInAsync(_host);
        await using var redis = await RedisClient.ConnectAsync(TestEnvironment.Redis);

        var raw = await redis.GetBytesAsync(SessionKey(_host, client));

        Assert.NotNull(raw);
        AssertNothingPersonal(raw, email);
        using var onSecond = second.CreateClient();
        onSecond.Cookies.Add(second.Address, new Cookie("bastion", client.Cookie("bastion")!.Value));
        var me = await TestClient.ExpectAsync(await onSecond.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Equal(email, me.GetProperty("email").GetString());
    }

    private static async Task<(TestClient Client, string Email)> SignInAsync(TestHost host)
    {
        var client = host.CreateClient();
        var email = $"sealed-{Guid.NewGuid():N}@example.com";
        await client.RegisterAsync(email, fullName: FullName);
        await client.LoginAsync(email);
        return (client, email);
    }

    private static string SessionKey(TestHost host, TestClient client)
        => host.Services.GetRequiredService<IOptions<StateOptions>>().Value.KeyPrefix + "session:" + SessionStore.HandleOf(client.Cookie("bastion")!.Value);

    private static void AssertNothingPersonal(byte[] value, string email)
    {
        var text = Encoding.Latin1.GetString(value);
        Assert.DoesNotContain(email, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(FullName, text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("userId", text, StringComparison.Ordinal);
    }
}
