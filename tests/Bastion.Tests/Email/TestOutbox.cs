using System.Security.Cryptography;
using Bastion.Email;
using Bastion.Hosting;
using Bastion.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Email;

/// <summary>
/// The outbox on a fresh SQLite file with Bastion's migrations applied by the real <see cref="SchemaMigrator"/>, a
/// random master key and one worker ("node"); <see cref="AddNodeAsync"/> adds another worker on the same table.
/// </summary>
internal sealed class TestOutbox : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory;
    private readonly List<EmailOutboxWorker> _workers = [];

    private TestOutbox(string directory, string connectionString, SecretBox box)
    {
        _directory = directory;
        ConnectionString = connectionString;
        Box = box;
        Table = new OutboxTable(DatabaseProvider.Sqlite, connectionString);
        Content = new OutboxContent(box);
    }

    public string ConnectionString { get; }

    public SecretBox Box { get; }

    public OutboxTable Table { get; }

    public OutboxContent Content { get; }

    public EmailOutboxWorker Worker => _workers[0];

    public IEmailOutbox Outbox { get; private set; } = null!;

    public static async Task<TestOutbox> CreateAsync(IEmailSender sender, IOptions<EmailOptions> options, CollectingLogger<EmailOutboxWorker> logger, bool start = true)
    {
        var directory = Directory.CreateTempSubdirectory("bastion-outbox-").FullName;
        var connectionString = $"Data Source={Path.Combine(directory, "bastion.db")};Default Timeout=30;Pooling=False";
        await new SchemaMigrator(DatabaseProvider.Sqlite, connectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        var key = new MasterKey(
            Options.Create(new SecretsOptions { MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }),
            Options.Create(new BastionOptions()),
            new HostingEnvironment { EnvironmentName = Environments.Production });
        var outbox = new TestOutbox(directory, connectionString, new SecretBox(key));
        var worker = await outbox.AddNodeAsync(sender, options, logger, start);
        outbox.Outbox = new EmailOutbox(outbox.Table, outbox.Content, worker, TimeProvider.System);
        return outbox;
    }

    /// <summary>Another node's worker on the same outbox.</summary>
    public async Task<EmailOutboxWorker> AddNodeAsync(IEmailSender sender, IOptions<EmailOptions> options, CollectingLogger<EmailOutboxWorker> logger, bool start = true)
    {
        var worker = new EmailOutboxWorker(Table, Content, sender, options, TimeProvider.System, logger) { ShutdownGrace = TimeSpan.FromSeconds(2) };
        _workers.Add(worker);
        if (start)
        {
            await worker.StartAsync(CancellationToken.None);
        }

        return worker;
    }

    public Task EnqueueAsync(EmailMessage message) => Outbox.EnqueueAsync(message, database: null);

    public Task DrainAsync() => Worker.DrainAsync().WaitAsync(Patience);

    /// <summary>A context on the same database, for enqueuing inside a caller's transaction.</summary>
    public BastionDbContext NewContext() => new(new DbContextOptionsBuilder<BastionDbContext>().UseSqlite(ConnectionString).Options);

    public async Task<List<OutboxRowView>> RowsAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, recipient, category, content, attempts, locked_until, failed_at, last_error, due_at FROM email_outbox ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<OutboxRowView>();
        while (await reader.ReadAsync())
        {
            rows.Add(new OutboxRowView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt64(8)));
        }

        return rows;
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open in a pool that is closing; the temp folder is cleaned by the OS.
        }
    }
}

/// <summary>An <c>email_outbox</c> row as stored (times in Unix milliseconds).</summary>
internal sealed record OutboxRowView(long Id, string Recipient, string Category, byte[] Content, int Attempts, long? LockedUntil, long? FailedAt, string? LastError, long DueAt);
