using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Bastion.Audit;
using Bastion.Server;
using Bastion.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

// How many audit entries per second the log sustains when every write is awaited until it is committed, as a request
// awaits its entry before answering. Starts the real server (BastionServer.Create, production environment, the
// storage configured as for the server: --Bastion:Key=value or Bastion__Key), so that the audit migrations run,
// takes IAuditLog from its services, and for each writer count in --Bench:Writers (default 1,16,256) runs that many
// concurrent writers for --Bench:Warmup seconds unmeasured and --Bench:Seconds seconds measured, each awaiting
// WriteAsync in a loop with an entry shaped like a successful sign-in's. Then it walks the hash chain with
// AuditChainVerifier. Prints readable lines and one "RESULT …" line per writer count and one "VERIFY …" line.
// A temporary data directory, removed at the end, unless Bastion:DataDirectory is given on the command line or in the
// environment (the server's appsettings.json names ./data, which is not meant for this).
string? ownDataDirectory = null;
var app = BastionServer.Create(["--environment", "Production", .. args], builder =>
{
    if (!args.Any(a => a.StartsWith("--Bastion:DataDirectory", StringComparison.OrdinalIgnoreCase))
        && Environment.GetEnvironmentVariable("Bastion__DataDirectory") is null)
    {
        ownDataDirectory = Path.Combine(Path.GetTempPath(), "bastion-auditbench-" + Guid.NewGuid().ToString("N"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Bastion:DataDirectory"] = ownDataDirectory });
    }


    builder.WebHost.UseUrls("http://127.0.0.1:0");
    var defaults = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        // Production refuses to start without secrets and mail settings; nothing here uses them.
        ["Bastion:Secrets:MasterKey"] = RandomKey(),
        ["Bastion:Encryption:Keys:1"] = RandomKey(),
        ["Bastion:Encryption:CurrentVersion"] = "1",
        ["Bastion:Encryption:BlindIndexKey"] = RandomKey(),
        ["Bastion:Email:From"] = "no-reply@example.com",
        ["Bastion:Email:PublicBaseUrl"] = "https://bastion.example.com",
    };
    // Only what is not set already: settings given on the command line or in the environment win.
    builder.Configuration.AddInMemoryCollection(defaults.Where(d => builder.Configuration[d.Key] is null || d.Key.StartsWith("Logging:", StringComparison.Ordinal)));
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        // Production's transport rules: nothing but this process calls it, by address, and nothing is uploaded.
        ["AllowedHosts"] = "127.0.0.1;localhost",
        ["Bastion:Transport:AllowUnscannedUploads"] = "true",
        ["Bastion:Email:PickupDirectory"] = builder.Configuration["Bastion:Email:PickupDirectory"]
            ?? (builder.Configuration["Bastion:Email:Smtp:Host"] is null ? Path.Combine(builder.Configuration["Bastion:DataDirectory"]!, "outbox") : null),
    });
});

var configuration = app.Configuration;
var seconds = configuration.GetValue("Bench:Seconds", 10.0);
var warmup = configuration.GetValue("Bench:Warmup", 1.0);
var writerCounts = (configuration["Bench:Writers"] ?? "1,16,256")
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .Select(w => int.Parse(w, CultureInfo.InvariantCulture))
    .ToArray();
var label = configuration["Bench:Label"] ?? "";

await app.StartAsync();   // runs the migrations
var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
var auditOptions = app.Services.GetRequiredService<IOptions<AuditOptions>>().Value;
var (maxBatchSize, batchWindow) = (auditOptions.MaxBatchSize, auditOptions.BatchWindow);
var log = app.Services.GetRequiredService<IAuditLog>();
Console.WriteLine(Invariant($"Audit log on {database.Provider}: {await DurabilityAsync(database)}; MaxBatchSize {maxBatchSize}, BatchWindow {batchWindow.TotalMilliseconds} ms"));
Console.WriteLine(Invariant($"DURABILITY {label}|{database.Provider}|{await DurabilityAsync(database)}|{maxBatchSize}|{batchWindow.TotalMilliseconds}"));

long written = 0;
foreach (var writers in writerCounts)
{
    if (warmup > 0)
    {
        written += (await RunAsync(log, writers, TimeSpan.FromSeconds(warmup))).Entries;
    }

    var commitsBefore = await WriteTransactionsAsync(database);
    var run = await RunAsync(log, writers, TimeSpan.FromSeconds(seconds));
    var commitsAfter = await WriteTransactionsAsync(database);
    written += run.Entries;
    // Each probe of the transaction counter takes one transaction id itself.
    var commits = commitsBefore is { } b && commitsAfter is { } a ? a - b - 1 : (long?)null;
    var perSecond = run.Entries / run.Elapsed.TotalSeconds;
    Console.WriteLine(Invariant(
        $"{writers,4} writers: {perSecond,9:F0} entries/s  p50 {run.Percentile(50),7:F2} ms  p99 {run.Percentile(99),7:F2} ms  max {run.Percentile(100),8:F2} ms  ({run.Entries} entries in {run.Elapsed.TotalSeconds:F1} s{(commits is { } c && c > 0 ? $", {c / run.Elapsed.TotalSeconds:F0} commits/s, {(double)run.Entries / c:F1} entries per commit" : "")})"));
    Console.WriteLine(Invariant(
        $"RESULT {label}|{database.Provider}|{writers}|{perSecond:F0}|{run.Percentile(50):F2}|{run.Percentile(99):F2}|{run.Percentile(100):F2}|{run.Entries}|{(commits is { } n && n > 0 ? (n / run.Elapsed.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture) : "-")}|{(commits is { } m && m > 0 ? ((double)run.Entries / m).ToString("F1", CultureInfo.InvariantCulture) : "-")}"));
}

var verifier = app.Services.GetRequiredService<AuditChainVerifier>();
var clock = Stopwatch.StartNew();
var verified = await verifier.VerifyAsync();
clock.Stop();
Console.WriteLine(verified.IsIntact
    ? Invariant($"Chain intact: {verified.EntriesChecked} entries (this run wrote {written}), head seq {verified.HeadSeq}; verified in {clock.Elapsed.TotalSeconds:F1} s ({verified.EntriesChecked / clock.Elapsed.TotalSeconds:F0} entries/s)")
    : Invariant($"Chain BROKEN at seq {verified.FirstBreak!.Seq} ({verified.FirstBreak.Kind}): {verified.FirstBreak.Message}"));
Console.WriteLine(Invariant(
    $"VERIFY {label}|{database.Provider}|{(verified.IsIntact ? "intact" : "broken")}|{verified.EntriesChecked}|{written}|{verified.HeadSeq}|{clock.Elapsed.TotalSeconds:F1}"));

await app.StopAsync();
await app.DisposeAsync();
if (ownDataDirectory is not null)
{
    Directory.Delete(ownDataDirectory, recursive: true);
}

return verified.IsIntact && verified.EntriesChecked >= written ? 0 : 1;

static async Task<Run> RunAsync(IAuditLog log, int writers, TimeSpan duration)
{
    var stop = 0;
    var latencies = new List<long>[writers];
    var clock = Stopwatch.StartNew();
    var tasks = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
    {
        var own = latencies[writer] = new List<long>(4096);
        var userId = Guid.NewGuid();
        var request = 0;
        while (Volatile.Read(ref stop) == 0)
        {
            var started = Stopwatch.GetTimestamp();
            await log.WriteAsync(new AuditEvent(AuditEventTypes.LoginSuccess)
            {
                UserId = userId,
                IpAddress = "203.0.113.7",
                UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
                RequestId = Invariant($"0HNAUDITBENCH{writer:X4}:{++request:X8}"),
                Resource = "POST /api/auth/login",
            });
            own.Add(Stopwatch.GetTimestamp() - started);
        }
    })).ToArray();
    await Task.Delay(duration);
    Volatile.Write(ref stop, 1);
    await Task.WhenAll(tasks);
    clock.Stop();
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Run(all.Length, clock.Elapsed, all);
}

// Write transactions so far on PostgreSQL: every commit that inserted took one transaction id. Null on SQLite.
static async Task<long?> WriteTransactionsAsync(DatabaseOptions database)
{
    if (database.Provider != DatabaseProvider.Postgres)
    {
        return null;
    }

    await using var connection = new NpgsqlConnection(database.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("SELECT txid_current()", connection);
    return (long)(await command.ExecuteScalarAsync())!;
}

// What a commit waits for: the settings a new connection of the configured database sees.
static async Task<string> DurabilityAsync(DatabaseOptions database)
{
    if (database.Provider == DatabaseProvider.Postgres)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var settings = new List<string>();
        foreach (var name in new[] { "fsync", "synchronous_commit", "wal_sync_method", "full_page_writes" })
        {
            await using var command = new NpgsqlCommand($"SHOW {name}", connection);
            settings.Add($"{name}={await command.ExecuteScalarAsync()}");
        }

        return string.Join(", ", settings);
    }

    await using var sqlite = new SqliteConnection(database.ConnectionString);
    await sqlite.OpenAsync();
    await using var pragma = sqlite.CreateCommand();
    pragma.CommandText = "PRAGMA journal_mode";
    var journal = await pragma.ExecuteScalarAsync();
    pragma.CommandText = "PRAGMA synchronous";
    var synchronous = Convert.ToInt64(await pragma.ExecuteScalarAsync(), CultureInfo.InvariantCulture) switch
    {
        0 => "OFF",
        1 => "NORMAL",
        2 => "FULL",
        3 => "EXTRA",
        var other => other.ToString(CultureInfo.InvariantCulture),
    };
    return $"journal_mode={journal}, synchronous={synchronous}";
}

static string RandomKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

internal sealed record Run(long Entries, TimeSpan Elapsed, long[] SortedTicks)
{
    public double Percentile(double percent)
    {
        if (SortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var index = (int)Math.Ceiling(percent / 100 * SortedTicks.Length) - 1;
        return SortedTicks[Math.Clamp(index, 0, SortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
