using System.Globalization;
using Bastion.Audit;
using Bastion.Storage;

namespace Bastion.Tests.Audit;

/// <summary>The writer on a real database: durability, batching, several nodes, failures.</summary>
public abstract class AuditLogContract : IAsyncLifetime
{
    private protected AuditTestDatabase Db { get; private set; } = null!;

    private protected abstract DatabaseProvider Provider { get; }

    public async Task InitializeAsync() => Db = await AuditTestDatabase.CreateAsync(Provider);

    public async Task DisposeAsync() => await Db.DisposeAsync();

    [AuditStorageFact]
    public async Task WriteAsync_WhenItCompletes_EntryIsReadableOnAnotherConnection()
    {
        await using var node = new AuditHarness(Db.Database);
        var userId = Guid.NewGuid();

        await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.LoginSuccess) { UserId = userId, IpAddress = "203.0.113.7", RequestId = "req-1" });

        await using var connection = Db.Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, ip_address, request_id FROM audit_log WHERE seq = 1";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("login_success", "203.0.113.7", "req-1"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
    }

    [AuditStorageFact]
    public async Task WriteAsync_StoresEveryFieldAsGiven()
    {
        await using var node = new AuditHarness(Db.Database);
        var at = new DateTimeOffset(2025, 5, 1, 12, 30, 15, 123, TimeSpan.FromHours(2));
        var userId = Guid.NewGuid();

        await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.DataModification)
        {
            Severity = AuditSeverity.Warning, Outcome = AuditOutcome.Denied, UserId = userId, IpAddress = "2001:db8::1",
            UserAgent = "curl/8", Resource = "/api/equipment/7", Action = "update", EntityType = "equipment", EntityId = "7",
            Changes = new Dictionary<string, (object?, object?)> { ["cost"] = (10.5m, 12) }, RequestId = "r", OccurredAt = at,
        });

        var record = Assert.Single(await Db.ReadAllAsync());
        Assert.Equal(at, record.OccurredAt);
        Assert.Equal(userId, record.UserId);
        Assert.Equal(("warning", "denied", "2001:db8::1", "curl/8"), (record.Severity, record.Outcome, record.IpAddress, record.UserAgent));
        Assert.Equal(("/api/equipment/7", "update", "equipment", "7"), (record.Resource, record.Action, record.EntityType, record.EntityId));
        Assert.Equal("""{"cost":{"old":10.5,"new":12}}""", record.ChangesJson);
        Assert.Null(record.DetailsJson);
        Assert.Equal((1L, AuditHash.Genesis), (record.Seq, record.PrevHash));
        Assert.Equal(AuditHash.Compute(record), record.Hash);
    }

    [AuditStorageFact]
    public async Task WriteAsync_ThousandConcurrentWrites_AreAllStoredContiguouslyInAValidChain()
    {
        await using var node = new AuditHarness(Db.Database);

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() =>
            node.Log.WriteAsync(new AuditEvent(AuditEventTypes.DataAccess) { EntityId = i.ToString(CultureInfo.InvariantCulture) }))));

        var records = await Db.ReadAllAsync();
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(), records.Select(r => r.EntityId!).Order());
        var result = await new AuditChainVerifier(Db.Database).VerifyAsync();
        Assert.True(result.IsIntact, result.FirstBreak?.Message);
        Assert.Equal((1000L, 1000L, records[^1].Hash), (result.EntriesChecked, result.HeadSeq, result.HeadHash));
        if (Provider == DatabaseProvider.Postgres)
        {
            // Rows inserted by one transaction share its xmin: far fewer transactions than writes means they were batched.
            var transactions = await ScalarAsync("SELECT COUNT(DISTINCT xmin::text) FROM audit_log");
            Assert.InRange(transactions, 1, 250);
        }
    }

    [AuditStorageFact]
    public async Task WriteAsync_FromThreeNodesAtOnce_ExtendsOneLinearChain()
    {
        await using var a = new AuditHarness(Db.Database);
        await using var b = new AuditHarness(Db.Database);
        await using var c = new AuditHarness(Db.Database);
        var nodes = new[] { a, b, c };

        await Task.WhenAll(Enumerable.Range(0, 600).Select(i => Task.Run(() =>
            nodes[i % 3].Log.WriteAsync(new AuditEvent(AuditEventTypes.DataAccess) { EntityId = i.ToString(CultureInfo.InvariantCulture) }))));

        var records = await Db.ReadAllAsync();
        Assert.Equal(600, records.Count);
        Assert.Equal(600L, records[^1].Seq);
        var result = await new AuditChainVerifier(Db.Database).VerifyAsync();
        Assert.True(result.IsIntact, result.FirstBreak?.Message);
    }

    [AuditStorageFact]
    public async Task WriteAsync_WhenTheBatchFails_FaultsEveryWriterInItAndStoresNoneOfIt()
    {
        await using var node = new AuditHarness(Db.Database, o => o.BatchWindow = TimeSpan.FromMilliseconds(300));
        await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.Logout));
        await PoisonAsync("poisoned");

        string[] types = ["data_access", "poisoned", "data_access"];
        var writes = types.Select(type => node.Log.WriteAsync(new AuditEvent(type)))
            .ToArray();

        foreach (var write in writes)
        {
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => write);
        }

        Assert.Single(await Db.ReadAllAsync());
        await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.Logout));
        var records = await Db.ReadAllAsync();
        Assert.Equal([1L, 2L], records.Select(r => r.Seq));
        Assert.True((await new AuditChainVerifier(Db.Database).VerifyAsync()).IsIntact);
    }

    [AuditStorageFact]
    public async Task WriteAsync_AfterDispose_IsRefusedAndEarlierEntriesWereFlushed()
    {
        var node = new AuditHarness(Db.Database, o => o.BatchWindow = TimeSpan.FromMilliseconds(200));
        var pending = Enumerable.Range(0, 20).Select(_ => node.Log.WriteAsync(new AuditEvent(AuditEventTypes.DataAccess))).ToArray();

        await node.DisposeAsync();

        await Task.WhenAll(pending);
        Assert.Equal(20, (await Db.ReadAllAsync()).Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => node.Log.WriteAsync(new AuditEvent(AuditEventTypes.DataAccess)));
    }

    [AuditStorageFact]
    public async Task AuditTable_RefusesUpdatesAndDeletes()
    {
        await using var node = new AuditHarness(Db.Database);
        await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.Logout));

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Db.ExecuteAsync("UPDATE audit_log SET type = 'login_success'"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Db.ExecuteAsync("DELETE FROM audit_log"));
        Assert.Equal("logout", Assert.Single(await Db.ReadAllAsync()).Type);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = Db.Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Makes the database refuse entries of one type, as a constraint or a full disk would.</summary>
    private Task<int> PoisonAsync(string type) => Db.ExecuteAsync(Provider == DatabaseProvider.Postgres
        ? $"""
          CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END; $$;
          CREATE TRIGGER refuse_poison BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.type = '{type}') EXECUTE FUNCTION refuse_poison();
          """
        : $"CREATE TRIGGER refuse_poison BEFORE INSERT ON audit_log WHEN NEW.type = '{type}' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
}

public sealed class SqliteAuditLogTests : AuditLogContract
{
    private protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresAuditLogTests : AuditLogContract, IPostgresContract
{
    private protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
