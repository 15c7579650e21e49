using System.Net;
using System.Text.Json;

namespace Bastion.IntegrationTests.Audit;

public sealed class AuditTrailTests : HostWithActors
{
    // A spent token presented inside the retry window after its family ended is answered token_revoked; the scenario
    // presents it after the window, where it is reuse.
    private protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Bastion:Tokens:RefreshRetryWindow"] = "00:00:01",
    };

    [Fact]
    public async Task AScriptedScenario_LeavesExactlyOneEntryPerStep()
    {
        var (owner, _, email) = await Actors.UserAsync("operator", "Engineering");
        using var client = Host.CreateClient();
        var steps = new List<(string RequestId, string Type, string Outcome)>();

        async Task<HttpResponseMessage> Step(Task<HttpResponseMessage> request, string type, string outcome)
        {
            var response = await request;
            steps.Add((response.Headers.GetValues("X-Request-Id").Single(), type, outcome));
            return response;
        }

        await Step(client.PostJsonAsync("/api/auth/login", new { email, password = "Wr0ng-Password!" }), "login_failure", "failure");
        var tokens = await TestClient.ExpectAsync(await Step(client.PostJsonAsync("/api/auth/login", new { email, password = TestClient.StrongPassword }), "login_success", "success"), HttpStatusCode.OK);
        var refresh = tokens.GetProperty("refresh_token").GetString();
        var next = await TestClient.ExpectAsync(await Step(client.PostJsonAsync("/api/auth/refresh", new { refresh_token = refresh }), "token_refreshed", "success"), HttpStatusCode.OK);
        client.UseBearer(next.GetProperty("access_token").GetString()!);
        var created = await TestClient.ExpectAsync(await Step(client.Http.PostAsJsonAsync("/api/equipment", new { name = "Drill", serialNumber = "AUD-1", cost = 10m }), "data_modification", "success"), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await Step(client.Http.GetAsync($"/api/equipment/{id}"), "data_access", "success");
        await Step(client.Http.PutAsJsonAsync($"/api/equipment/{id}", new { name = "Hammer drill", serialNumber = "AUD-2", cost = 10m }), "data_modification", "success");
        await Step(client.Http.DeleteAsync($"/api/equipment/{id}"), "permission_denied", "denied");
        await Step(client.Http.PostAsync("/api/auth/logout", null), "token_revoked", "success");
        await Task.Delay(2100);
        await Step(client.PostJsonAsync("/api/auth/refresh", new { refresh_token = refresh }), "refresh_reused", "denied");

        var entries = await AllEntriesAsync();
        foreach (var (requestId, type, outcome) in steps)
        {
            var mine = entries.Where(e => e.GetProperty("requestId").GetString() == requestId).ToList();
            var entry = Assert.Single(mine);
            Assert.Equal(type, entry.GetProperty("type").GetString());
            Assert.Equal(outcome, entry.GetProperty("outcome").GetString(), ignoreCase: true);
        }

        var update = entries.Single(e => e.GetProperty("requestId").GetString() == steps[5].RequestId);
        var changes = JsonDocument.Parse(update.GetProperty("changesJson").GetString()!).RootElement;
        Assert.Equal("Drill", changes.GetProperty("name").GetProperty("old").GetString());
        Assert.Equal("Hammer drill", changes.GetProperty("name").GetProperty("new").GetString());
        Assert.Equal("[concealed]", changes.GetProperty("serialNumber").GetProperty("new").GetString());
        Assert.DoesNotContain("AUD-2", update.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("critical", entries.Single(e => e.GetProperty("requestId").GetString() == steps[^1].RequestId).GetProperty("severity").GetString(), ignoreCase: true);
    }

    [Fact]
    public async Task Verify_ReportsAnIntactChain_ThenCatchesAnEditedAndADeletedRow()
    {
        var (user, _, email) = await Actors.UserAsync("operator");
        await user.Http.GetAsync("/api/auth/me");
        using var client = Host.CreateClient();
        await client.LoginAsync(email, "Wr0ng-Password!", HttpStatusCode.Unauthorized);

        var intact = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync("/api/admin/audit/verify"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, intact.GetProperty("firstBreak").ValueKind);
        Assert.True(intact.GetProperty("entriesChecked").GetInt64() >= 3);

        // Someone with database rights lifts the append-only guard and edits an entry.
        await Host.ExecuteSqlAsync(TestEnvironment.UsePostgres ? "ALTER TABLE audit_log DISABLE TRIGGER USER" : "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");
        await Host.ExecuteSqlAsync("UPDATE audit_log SET outcome = 'success' WHERE type = 'login_failure'");
        var edited = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync("/api/admin/audit/verify"), HttpStatusCode.OK);
        Assert.Equal("Hash", edited.GetProperty("firstBreak").GetProperty("kind").GetString(), ignoreCase: true);

        await Host.ExecuteSqlAsync("UPDATE audit_log SET outcome = 'failure' WHERE type = 'login_failure'");
        await Host.ExecuteSqlAsync("DELETE FROM audit_log WHERE seq = 2");
        var deleted = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync("/api/admin/audit/verify"), HttpStatusCode.OK);
        Assert.Equal("Gap", deleted.GetProperty("firstBreak").GetProperty("kind").GetString(), ignoreCase: true);
    }

    [Fact]
    public async Task Query_FiltersAndPages_AndExportsCsvAndJsonLines()
    {
        var (_, userId, email) = await Actors.UserAsync("viewer");
        using var client = Host.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await client.LoginForTokensAsync(email);
        }

        var page = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync($"/api/admin/audit?type=login_success&userId={userId}&pageSize=2"), HttpStatusCode.OK);
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.All(page.GetProperty("items").EnumerateArray(), e => Assert.Equal("login_success", e.GetProperty("type").GetString()));
        var cursor = page.GetProperty("nextCursor").GetInt64();
        var rest = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync($"/api/admin/audit?type=login_success&userId={userId}&pageSize=2&cursor={cursor}"), HttpStatusCode.OK);
        // Four sign-ins in all: the one that created the actor, and these three.
        Assert.Equal(2, rest.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);

        var jsonl = await Actors.Root.Http.GetStringAsync($"/api/admin/audit/export?format=jsonl&userId={userId}&type=login_success");
        Assert.Equal(4, jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).Count());
        var csv = await Actors.Root.Http.GetAsync($"/api/admin/audit/export?format=csv&userId={userId}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);

        var (viewer, _, _) = await Actors.UserAsync("viewer");
        await TestClient.ExpectProblemAsync(await viewer.Http.GetAsync("/api/admin/audit"), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await Actors.Root.Http.GetAsync("/api/admin/audit?outcome=maybe"), HttpStatusCode.BadRequest, "validation_failed");
    }

    private async Task<List<JsonElement>> AllEntriesAsync()
    {
        var entries = new List<JsonElement>();
        long? cursor = null;
        do
        {
            var page = await TestClient.ExpectAsync(await Actors.Root.Http.GetAsync($"/api/admin/audit?pageSize=200{(cursor is null ? string.Empty : $"&cursor={cursor}")}"), HttpStatusCode.OK);
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetInt64();
        }
        while (cursor is not null);
        return entries;
    }
}
