using System.Data.Common;
using System.Net;
using System.Text;
using System.Text.Json;
using Bastion.Audit;
using Bastion.IntegrationTests.Mfa;
using Bastion.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bastion.IntegrationTests.Audit;

/// <summary>
/// Erasure that reaches the append-only audit log: personal fields are sealed under a per-user key, and erasing the
/// account (by an administrator, or by its owner) shreds that key, while the hash chain still verifies.
/// </summary>
public sealed class AuditErasureTests : IAsyncLifetime
{
    private const string VictimName = "Vera Quillfeather";
    private readonly ManualTimeProvider _time = new();
    private TestHost _host = null!;
    private Actors _actors = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(Actors.BootstrapSettings, configure: builder => builder.Services.AddSingleton<TimeProvider>(_time));
        _actors = await Actors.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _actors.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task AdminErasure_ShowsErasedForTheUser_LeavesNothingOfThemInTheRawTable_AndTheChainVerifies()
    {
        var (victim, victimId, victimEmail) = await _actors.UserAsync("viewer");
        await TestClient.ExpectAsync(await _actors.Root.Http.PatchAsJsonAsync($"/api/admin/users/{victimId}", new { fullName = VictimName, department = "Cartography" }), HttpStatusCode.OK);
        await victim.LoginForTokensAsync(victimEmail);
        // A wrong password for the account: the failure's typed e-mail, address and user agent are the account's too.
        using (var stranger = _host.CreateClient())
        {
            var failed = await stranger.PostJsonAsync("/api/auth/login", new { email = victimEmail, password = "Wr0ng-Password-For-Vera!" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        var (admin, adminId, _) = await _actors.UserAsync("admin");

        // Sealed at rest from the start; readable through the API while the key exists.
        Assert.DoesNotContain(VictimName, await RawAuditTableAsync(), StringComparison.Ordinal);
        var renamed = await EntriesAsync($"entityType=user&entityId={victimId}&type=data_modification");
        Assert.Contains(renamed, e => e.GetProperty("changesJson").GetString()!.Contains(VictimName, StringComparison.Ordinal));
        Assert.All(await EntriesAsync($"userId={victimId}"), e => Assert.Equal("127.0.0.1", e.GetProperty("ipAddress").GetString()));

        await TestClient.ExpectAsync(await admin.Http.PostAsync($"/api/admin/users/{victimId}/erase", null), HttpStatusCode.OK);

        var own = await EntriesAsync($"userId={victimId}");
        Assert.NotEmpty(own);
        Assert.All(own, e => Assert.Equal(AuditFieldCipher.Erased, e.GetProperty("ipAddress").GetString()));
        Assert.All(own, e => Assert.Equal(AuditFieldCipher.Erased, e.GetProperty("userAgent").GetString()));
        var changes = JsonDocument.Parse((await EntriesAsync($"entityType=user&entityId={victimId}&type=data_modification"))[^1].GetProperty("changesJson").GetString()!).RootElement;
        Assert.Equal(AuditFieldCipher.Erased, changes.GetProperty("fullName").GetProperty("new").GetString());
        Assert.Equal(AuditFieldCipher.Erased, changes.GetProperty("department").GetProperty("new").GetString());

        // The erasure's own entry: the administrator's details readable, nothing of the erased user in it.
        var erasure = Assert.Single(await EntriesAsync($"type=account_erased"));
        Assert.Equal(adminId, erasure.GetProperty("userId").GetGuid());
        Assert.Equal(victimId.ToString(), erasure.GetProperty("entityId").GetString());
        Assert.Equal("127.0.0.1", erasure.GetProperty("ipAddress").GetString());

        // Other users' entries still open.
        Assert.All(await EntriesAsync($"userId={adminId}"), e => Assert.Equal("127.0.0.1", e.GetProperty("ipAddress").GetString()));

        var export = await (await _actors.Root.Http.GetAsync("/api/admin/audit/export?format=jsonl")).Content.ReadAsStringAsync();
        var csv = await (await _actors.Root.Http.GetAsync("/api/admin/audit/export?format=csv")).Content.ReadAsStringAsync();
        var raw = await RawAuditTableAsync();
        foreach (var text in new[] { export, csv, raw })
        {
            Assert.DoesNotContain(victimEmail, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(VictimName, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Cartography", text, StringComparison.Ordinal);
        }

        Assert.Contains(AuditFieldCipher.Erased, export, StringComparison.Ordinal);
        Assert.DoesNotContain(AuditFieldCipher.Prefix, export, StringComparison.Ordinal);
        await AssertChainVerifiesAsync();
    }

    [Fact]
    public async Task AdminErasure_OfSelfOrAnEqualOrHigherRank_OrWithoutPermission_IsForbidden()
    {
        var (admin, adminId, _) = await _actors.UserAsync("admin");
        var (_, otherAdminId, _) = await _actors.UserAsync("admin");
        var (manager, _, _) = await _actors.UserAsync("manager");
        var (_, viewerId, _) = await _actors.UserAsync("viewer");
        var rootId = (await EntriesAsync("type=login_success")).Select(e => e.GetProperty("userId").GetGuid()).First();

        foreach (var target in new[] { adminId, otherAdminId, rootId })
        {
            await TestClient.ExpectProblemAsync(await admin.Http.PostAsync($"/api/admin/users/{target}/erase", null), HttpStatusCode.Forbidden, "forbidden");
        }

        await TestClient.ExpectProblemAsync(await manager.Http.PostAsync($"/api/admin/users/{viewerId}/erase", null), HttpStatusCode.Forbidden, "forbidden");
        await TestClient.ExpectProblemAsync(await admin.Http.PostAsync($"/api/admin/users/{Guid.NewGuid()}/erase", null), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(4, (await EntriesAsync("type=account_erased")).Count(e => e.GetProperty("outcome").GetString() == "denied"));
        Assert.DoesNotContain(await EntriesAsync("type=account_erased"), e => e.GetProperty("outcome").GetString() == "success");
    }

    [Fact]
    public async Task AdminErasure_NeedsARecentStepUp()
    {
        var (admin, _, _) = await _actors.UserAsync("admin");
        var (_, viewerId, _) = await _actors.UserAsync("viewer");
        _time.Advance(TimeSpan.FromMinutes(11));

        await TestClient.ExpectProblemAsync(await admin.Http.PostAsync($"/api/admin/users/{viewerId}/erase", null), HttpStatusCode.Forbidden, "step_up_required");

        await TestClient.ExpectAsync(await admin.PostJsonAsync("/api/auth/reauthenticate", new { password = TestClient.StrongPassword }), HttpStatusCode.NoContent);
        await TestClient.ExpectAsync(await admin.Http.PostAsync($"/api/admin/users/{viewerId}/erase", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task SelfDeletion_ShredsTheKey_AndThePersonalDataExportOfOthersStillOpens()
    {
        using var client = _host.CreateClient();
        var email = await client.SignUpWithTokensAsync();
        using var other = _host.CreateClient();
        await other.SignUpWithTokensAsync();

        await TestClient.ExpectAsync(await client.PostJsonAsync("/api/account/delete", new { password = TestClient.StrongPassword }), HttpStatusCode.NoContent);

        var deleted = Assert.Single(await EntriesAsync("type=account_deleted"));
        var deletedId = deleted.GetProperty("userId").GetGuid();
        Assert.All(await EntriesAsync($"userId={deletedId}"), e => Assert.Equal(AuditFieldCipher.Erased, e.GetProperty("ipAddress").GetString()));
        Assert.DoesNotContain(email, await RawAuditTableAsync(), StringComparison.OrdinalIgnoreCase);

        var mine = JsonDocument.Parse(await (await other.Http.GetAsync("/api/account/export")).Content.ReadAsStringAsync()).RootElement.GetProperty("auditTrail");
        Assert.NotEqual(0, mine.GetArrayLength());
        Assert.All(mine.EnumerateArray(), e => Assert.Equal("127.0.0.1", e.GetProperty("ipAddress").GetString()));
        await AssertChainVerifiesAsync();
    }

    private async Task<List<JsonElement>> EntriesAsync(string query)
    {
        var page = await TestClient.ExpectAsync(await _actors.Root.Http.GetAsync($"/api/admin/audit?pageSize=200&{query}"), HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Reverse().ToList();
    }

    private async Task AssertChainVerifiesAsync()
    {
        var result = await TestClient.ExpectAsync(await _actors.Root.Http.GetAsync("/api/admin/audit/verify"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("firstBreak").ValueKind);
        using var output = new StringWriter();
        Assert.Equal(0, await AuditChainVerifier.RunVerifyCommandAsync(_host.Services, output));
    }

    /// <summary>Every column of every row of <c>audit_log</c> as text, as someone with a copy of the database would read it.</summary>
    private async Task<string> RawAuditTableAsync()
    {
        // Entries staged with a change are chained just after the response; give the writer a moment.
        await Task.Delay(300);
        var database = _host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await using DbConnection connection = TestEnvironment.UsePostgres ? new NpgsqlConnection(database.ConnectionString) : new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM audit_log ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
