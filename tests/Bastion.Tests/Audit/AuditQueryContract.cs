using System.Text;
using System.Text.Json;
using Bastion.Audit;
using Bastion.Csv;
using Bastion.Storage;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Audit;

/// <summary>Filters, keyset paging and the two exports, on a real database.</summary>
public abstract class AuditQueryContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Guid Alice = Guid.Parse("0b5e0ed4-6a53-4c1f-8e3e-44a3a2a3c001");
    private static readonly Guid Bob = Guid.Parse("0b5e0ed4-6a53-4c1f-8e3e-44a3a2a3c002");
    private AuditTestDatabase _db = null!;

    private protected abstract DatabaseProvider Provider { get; }

    private AuditReader Reader => new(_db.Database);

    public async Task InitializeAsync()
    {
        _db = await AuditTestDatabase.CreateAsync(Provider);
        await using var node = new AuditHarness(_db.Database);

        // 30 entries, one an hour: alternating users, every third a failed sign-in, every fifth about report 42.
        for (var i = 0; i < 30; i++)
        {
            await node.Log.WriteAsync(new AuditEvent(i % 3 == 0 ? AuditEventTypes.LoginFailure : AuditEventTypes.DataAccess)
            {
                UserId = i % 2 == 0 ? Alice : Bob,
                Outcome = i % 3 == 0 ? AuditOutcome.Failure : AuditOutcome.Success,
                EntityType = i % 5 == 0 ? "report" : "equipment",
                EntityId = i % 5 == 0 ? "42" : "7",
                OccurredAt = Start.AddHours(i),
            });
        }
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [AuditStorageFact]
    public async Task Query_ByEachFilter_ReturnsExactlyTheMatches()
    {
        Assert.Equal([28L, 25, 22, 19, 16, 13, 10, 7, 4, 1], await SeqsAsync(new AuditQuery { Type = AuditEventTypes.LoginFailure }));
        Assert.Equal(15, (await SeqsAsync(new AuditQuery { UserId = Bob })).Count);
        Assert.Equal([13L, 12, 11], await SeqsAsync(new AuditQuery { From = Start.AddHours(10), To = Start.AddHours(13) }));
        Assert.Equal([26L, 21, 16, 11, 6, 1], await SeqsAsync(new AuditQuery { EntityType = "report", EntityId = "42" }));
        Assert.Equal(10, (await SeqsAsync(new AuditQuery { Outcome = AuditOutcome.Failure })).Count);
        Assert.Equal([16L], await SeqsAsync(new AuditQuery { UserId = Bob, Type = AuditEventTypes.LoginFailure, EntityType = "report" }));
    }

    [AuditStorageFact]
    public async Task Query_PagesByCursor_WithoutGapsOrRepeats()
    {
        var seen = new List<long>();
        var query = new AuditQuery { PageSize = 7 };
        int pages = 0;
        for (AuditPage page; ; query = query with { Cursor = page.NextCursor })
        {
            page = await Reader.QueryAsync(query);
            pages++;
            seen.AddRange(page.Items.Select(r => r.Seq));
            if (page.NextCursor is null)
            {
                break;
            }
        }

        Assert.Equal(5, pages);
        Assert.Equal(Enumerable.Range(1, 30).Reverse().Select(i => (long)i), seen);
    }

    [AuditStorageFact]
    public async Task Query_OldestFirstWithCursor_ContinuesAfterIt()
    {
        var page = await Reader.QueryAsync(new AuditQuery { NewestFirst = false, Cursor = 27, PageSize = 10 });

        Assert.Equal([28L, 29, 30], page.Items.Select(r => r.Seq));
        Assert.Null(page.NextCursor);
    }

    [AuditStorageFact]
    public async Task Query_PageSizeAboveTheMaximum_IsCappedAt200()
    {
        await using (var node = new AuditHarness(_db.Database))
        {
            await Task.WhenAll(Enumerable.Range(0, 250).Select(_ => node.Log.WriteAsync(new AuditEvent(AuditEventTypes.DataAccess))));
        }

        var page = await Reader.QueryAsync(new AuditQuery { PageSize = 10_000 });

        Assert.Equal(AuditQuery.MaxPageSize, page.Items.Count);
        Assert.Equal(81L, page.NextCursor);
    }

    [AuditStorageFact]
    public async Task ExportCsv_NeutralisesFormulasInEveryTextCell()
    {
        await using (var node = new AuditHarness(_db.Database))
        {
            await node.Log.WriteAsync(new AuditEvent(AuditEventTypes.SecurityViolation)
            {
                UserAgent = "=HYPERLINK(\"http://evil.example\")", Resource = "@SUM(1+1)", Action = "+1", EntityId = "-2", RequestId = "\tx",
            });
        }

        var csv = await ExportAsync((exporter, stream) => exporter.WriteCsvAsync(stream, new AuditQuery { Type = AuditEventTypes.SecurityViolation }, CancellationToken.None));

        var lines = csv.TrimStart('\uFEFF').Split("\r\n");
        Assert.StartsWith("seq,occurred_at,type,severity,outcome,user_id,ip_address,user_agent,resource,action,entity_type,entity_id,request_id,", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"'@SUM(1+1)\",\"'+1\",,\"'-2\"", lines[1], StringComparison.Ordinal);

        // A tab is a control character: the writer already replaced it, so the cell cannot start one.
        Assert.Contains(",\uFFFDx,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("31,", lines[1], StringComparison.Ordinal);
    }

    [AuditStorageFact]
    public async Task ExportJsonLines_IsOneParsableObjectPerLine()
    {
        var text = await ExportAsync((exporter, stream) => exporter.WriteJsonLinesAsync(stream, new AuditQuery { UserId = Alice, NewestFirst = false }, CancellationToken.None));

        var lines = text.Split('\n');
        Assert.Equal("", lines[^1]);
        var entries = lines[..^1].Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(15, entries.Count);
        Assert.All(entries, e => Assert.Equal(Alice, e.GetProperty("userId").GetGuid()));
        Assert.Equal(1, entries[0].GetProperty("seq").GetInt64());
        Assert.Equal("2025-01-01T00:00:00.000Z", entries[0].GetProperty("occurredAt").GetString());
        Assert.Equal(AuditHash.Genesis, entries[0].GetProperty("prevHash").GetString());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("details").ValueKind);
    }

    [AuditStorageFact]
    public async Task ExportJsonLines_OfManyEntries_StreamsThemAll()
    {
        await using (var node = new AuditHarness(_db.Database))
        {
            await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => node.Log.WriteAsync(new AuditEvent(AuditEventTypes.DataAccess)
            {
                Details = new() { ["i"] = i, ["note"] = new string('x', 100) },
            })));
        }

        var text = await ExportAsync((exporter, stream) => exporter.WriteJsonLinesAsync(stream, new AuditQuery(), CancellationToken.None));

        var entries = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2030, entries.Count);
        var numbers = entries.Where(e => e.GetProperty("details").ValueKind == JsonValueKind.Object)
            .Select(e => e.GetProperty("details").GetProperty("i").GetInt32());
        Assert.Equal(Enumerable.Range(0, 2000), numbers.Order());
    }

    private async Task<List<long>> SeqsAsync(AuditQuery query)
    {
        var seqs = new List<long>();
        await foreach (var record in Reader.ReadAsync(query))
        {
            seqs.Add(record.Seq);
        }

        var page = await Reader.QueryAsync(query with { PageSize = AuditQuery.MaxPageSize });
        Assert.Equal(seqs, page.Items.Select(r => r.Seq));
        return seqs;
    }

    private async Task<string> ExportAsync(Func<AuditExporter, Stream, Task> export)
    {
        var exporter = new AuditExporter(Reader, new CsvExporter(Options.Create(new CsvOptions())));
        using var stream = new MemoryStream();
        await export(exporter, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

public sealed class SqliteAuditQueryTests : AuditQueryContract
{
    private protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresAuditQueryTests : AuditQueryContract, IPostgresContract
{
    private protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
