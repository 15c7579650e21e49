using System.Net;
using System.Text.Json;

namespace Bastion.IntegrationTests.Audit;

/// <summary>A change and its audit entry commit together (the audit outbox), and an entry left behind is chained later.</summary>
public sealed class TransactionalAuditTests : HostWithActors
{
    private protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Bastion:Audit:OutboxSweepInterval"] = "00:00:00.2",
    };

    [Fact]
    public async Task Change_WhoseAuditEntryCannotBeWritten_IsNotStoredEither()
    {
        var (client, _, _) = await Actors.UserAsync("operator");
        var name = $"Unaudited {Guid.NewGuid():N}";
        await using (await Host.RefuseAuditEntriesAsync())
        {
            var response = await client.Http.PostAsJsonAsync("/api/equipment", new { name, serialNumber = "UNA-1", cost = 10m });
            Assert.True((int)response.StatusCode >= 500, $"expected the create to fail, got {(int)response.StatusCode}");
        }

        var page = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync($"/api/equipment?q={Uri.EscapeDataString(name)}"), HttpStatusCode.OK);
        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Change_IsInTheChainWhenTheRequestAnswers()
    {
        var (client, _, _) = await Actors.UserAsync("operator");

        var created = await TestClient.ExpectAsync(
            await client.Http.PostAsJsonAsync("/api/equipment", new { name = "Audited", serialNumber = "AUD-1", cost = 10m }), HttpStatusCode.Created);

        var id = created.GetProperty("id").GetString();
        var entries = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync("/api/admin/audit?type=data_modification&pageSize=200"), HttpStatusCode.OK);
        Assert.Single(entries.GetProperty("items").EnumerateArray(), e => e.GetProperty("entityId").GetString() == id && e.GetProperty("action").GetString() == "create");
    }

    [Fact]
    public async Task EntryLeftInTheOutbox_ByAWriterThatDied_IsChainedByTheNextPass_AndTheChainStaysIntact()
    {
        // What a node leaves when it dies between committing a change and chaining its entry.
        var entityId = Guid.NewGuid().ToString();
        var occurredAt = TestEnvironment.UsePostgres ? "now()" : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Host.ExecuteSqlAsync(
            $"INSERT INTO audit_outbox (occurred_at, type, severity, outcome, entity_type, entity_id, action) VALUES ({occurredAt}, 'data_modification', 'info', 'success', 'equipment', '{entityId}', 'create')");

        JsonElement? found = null;
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (found is null && DateTimeOffset.UtcNow < deadline)
        {
            var page = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync("/api/admin/audit?type=data_modification&pageSize=200"), HttpStatusCode.OK);
            found = page.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("entityId").GetString() == entityId);
            await Task.Delay(100);
        }

        Assert.NotNull(found);
        var verified = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync("/api/admin/audit/verify"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, verified.GetProperty("firstBreak").ValueKind);
    }
}
