using System.Data.Common;
using Bastion.Audit;
using Bastion.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Bastion.Tests.Audit;

/// <summary>
/// A fresh database with the audit migration applied by the real <see cref="SchemaMigrator"/>: a SQLite file in a
/// temporary folder, or a PostgreSQL database created on the server of <c>BASTION_TEST_POSTGRES</c> and dropped
/// afterwards.
/// </summary>
internal sealed class AuditTestDatabase : IAsyncDisposable
{
    public static readonly MigrationSource Migrations = new("audit", typeof(AuditLog).Assembly, "Bastion.Audit.Migrations");

    private readonly string? _directory;
    private readonly string? _postgresDatabase;

    private AuditTestDatabase(DatabaseProvider provider, string connectionString, string? directory, string? postgresDatabase)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Database = new AuditDatabase(provider, connectionString);
        _directory = directory;
        _postgresDatabase = postgresDatabase;
    }

    public static bool PostgresRequested => PostgresAdmin is not null
        || string.Equals(Environment.GetEnvironmentVariable("BASTION_TEST_STORAGE"), "Postgres", StringComparison.OrdinalIgnoreCase);

    private static string? PostgresAdmin => Environment.GetEnvironmentVariable("BASTION_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public AuditDatabase Database { get; }

    public DatabaseOptions Options => new() { Provider = Provider, ConnectionString = ConnectionString };

    public static async Task<AuditTestDatabase> CreateAsync(DatabaseProvider provider)
    {
        AuditTestDatabase database;
        if (provider == DatabaseProvider.Sqlite)
        {
            var directory = Directory.CreateTempSubdirectory("bastion-audit-").FullName;
            database = new AuditTestDatabase(provider, $"Data Source={Path.Combine(directory, "audit.db")};Default Timeout=30;Pooling=False", directory, null);
        }
        else
        {
            var admin = PostgresAdmin ?? throw new InvalidOperationException(
                "BASTION_TEST_STORAGE=Postgres but BASTION_TEST_POSTGRES is not set: run the suite through scripts/test.sh, which starts PostgreSQL.");
            var name = "bastion_audit_" + Guid.NewGuid().ToString("N")[..12];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await create.ExecuteNonQueryAsync();
            }

            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 20 };
            database = new AuditTestDatabase(provider, builder.ConnectionString, null, name);
        }

        await new SchemaMigrator(provider, database.ConnectionString, [Migrations], NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>Drops the append-only triggers, as someone with DDL rights could, so that tests can tamper with rows.</summary>
    public Task AllowTamperingAsync() => ExecuteAsync(Provider == DatabaseProvider.Postgres
        ? "ALTER TABLE audit_log DISABLE TRIGGER USER"
        : "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every stored entry in seq order, read on a connection of its own.</summary>
    public async Task<List<AuditRecord>> ReadAllAsync()
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AuditDatabase.Columns} FROM audit_log ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync();
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync())
        {
            records.Add(Database.Read(reader));
        }

        return records;
    }

    public DbConnection Connect() => Provider == DatabaseProvider.Postgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (_directory is not null)
        {
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
}
