using System.Net;
using System.Text.Json;

namespace Bastion.IntegrationTests.Idempotency;

/// <summary>Creates sent with an Idempotency-Key: a retry never makes a second record (draft-ietf-httpapi-idempotency-key-header).</summary>
public sealed class IdempotencyKeyTests : HostWithActors
{
    private static HttpRequestMessage Create(string key, object body) => new(HttpMethod.Post, "/api/equipment")
    {
        Content = JsonContent.Create(body),
        Headers = { { "Idempotency-Key", key } },
    };

    private static async Task<int> CountAsync(TestClient client, string name)
    {
        var page = await TestClient.ExpectAsync(await client.Http.GetAsync($"/api/equipment?q={Uri.EscapeDataString(name)}&pageSize=100"), HttpStatusCode.OK);
        return page.GetProperty("items").GetArrayLength();
    }

    [Fact]
    public async Task Create_RetriedWithTheSameKey_AnswersTheFirstResponseAgainAndCreatesOnce()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var name = $"Idem {Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        var body = new { name, serialNumber = "IDM-1", cost = 12.5m };

        var first = await client.Http.SendAsync(Create(key, body));
        var retry = await client.Http.SendAsync(Create(key, body));

        var created = await TestClient.ExpectAsync(first, HttpStatusCode.Created);
        var replayed = await TestClient.ExpectAsync(retry, HttpStatusCode.Created);
        Assert.Equal(created.GetProperty("id").GetString(), replayed.GetProperty("id").GetString());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await CountAsync(client, name));
    }

    [Fact]
    public async Task Create_WithTheSameKeyForADifferentRequest_IsRefused()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var key = Guid.NewGuid().ToString();
        await TestClient.ExpectAsync(await client.Http.SendAsync(Create(key, new { name = "First", serialNumber = "IDM-2", cost = 1m })), HttpStatusCode.Created);

        await TestClient.ExpectProblemAsync(
            await client.Http.SendAsync(Create(key, new { name = "Second", serialNumber = "IDM-3", cost = 1m })), HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("\"\"")]
    [InlineData("\"a\"b\"")]
    public async Task Create_WithAMalformedKey_IsRefusedAndCreatesNothing(string key)
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var name = $"Malformed {Guid.NewGuid():N}";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/equipment") { Content = JsonContent.Create(new { name, serialNumber = "IDM-4", cost = 1m }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        await TestClient.ExpectProblemAsync(await client.Http.SendAsync(request), HttpStatusCode.BadRequest, "idempotency_key_invalid");
        Assert.Equal(0, await CountAsync(client, name));
    }

    [Fact]
    public async Task Create_WithAKeyTooLong_IsRefused()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        await TestClient.ExpectProblemAsync(
            await client.Http.SendAsync(Create(new string('k', 256), new { name = "Long", serialNumber = "IDM-5", cost = 1m })), HttpStatusCode.BadRequest, "idempotency_key_invalid");
    }

    [Fact]
    public async Task Keys_ArePerCaller_SoAnotherUsersKeyNeverReplaysTheirRecord()
    {
        var (alice, _, _) = await Actors.UserAsync("operator");
        var (bob, _, _) = await Actors.UserAsync("operator");
        var key = Guid.NewGuid().ToString();
        var body = new { name = $"Shared key {Guid.NewGuid():N}", serialNumber = "IDM-6", cost = 1m };

        var alices = await TestClient.ExpectAsync(await alice.Http.SendAsync(Create(key, body)), HttpStatusCode.Created);
        var bobs = await bob.Http.SendAsync(Create(key, body));

        Assert.NotEqual(alices.GetProperty("id").GetString(), (await TestClient.ExpectAsync(bobs, HttpStatusCode.Created)).GetProperty("id").GetString());
        Assert.False(bobs.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Create_RetriedAfterAFailure_RunsAgain_AndStillCreatesOnce()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var name = $"Retry {Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        var body = new { name, serialNumber = "IDM-7", cost = 3m };
        await using (await Host.RefuseAuditEntriesAsync())
        {
            var failed = await client.Http.SendAsync(Create(key, body));
            Assert.True((int)failed.StatusCode >= 500, $"expected the first attempt to fail, got {(int)failed.StatusCode}");
        }

        var retry = await client.Http.SendAsync(Create(key, body));

        await TestClient.ExpectAsync(retry, HttpStatusCode.Created);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await CountAsync(client, name));
    }

    [Fact]
    public async Task Create_SentConcurrentlyWithOneKey_CreatesOneRecord()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var name = $"Concurrent {Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        var body = new { name, serialNumber = "IDM-8", cost = 4m };

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.Http.SendAsync(Create(key, body))));

        var ids = new HashSet<string?>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        }

        Assert.Single(ids);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Equal(1, await CountAsync(client, name));
    }

    [Fact]
    public async Task Key_PastItsLifetime_IsTakenAfresh_NotReplayedOrRefused()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var key = Guid.NewGuid().ToString();
        await TestClient.ExpectAsync(await client.Http.SendAsync(Create(key, new { name = $"Old {Guid.NewGuid():N}", serialNumber = "IDM-9", cost = 1m })), HttpStatusCode.Created);
        await Host.ExecuteSqlAsync(TestEnvironment.UsePostgres
            ? $"UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE key = '{key}'"
            : $"UPDATE idempotency_keys SET expires_at = 0 WHERE key = '{key}'");

        var name = $"New {Guid.NewGuid():N}";
        var fresh = await client.Http.SendAsync(Create(key, new { name, serialNumber = "IDM-10", cost = 2m }));

        Assert.Equal(name, (await TestClient.ExpectAsync(fresh, HttpStatusCode.Created)).GetProperty("name").GetString());
        Assert.False(fresh.Headers.Contains("Idempotent-Replayed"));
    }
}
