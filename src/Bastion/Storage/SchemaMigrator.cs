using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bastion.Storage;

/// <summary>
/// Applies versioned SQL scripts embedded as <c>{prefix}.{provider}.NNNN_name.sql</c> — Bastion's own and those
/// of any component the host adds (<see cref="MigrationSource"/>) — in order, each in its own transaction,
/// recording component, version and checksum in <c>schema_migrations</c>. Several nodes may start at once:
/// PostgreSQL serialises them with a session-level advisory lock, SQLite with an immediate (write) transaction.
/// A recorded script whose checksum no longer matches stops start-up: applied migrations are never edited.
/// </summary>
internal sealed partial class SchemaMigrator(
    DatabaseProvider provider, string connectionString, IReadOnlyList<MigrationSource> sources, ILogger<SchemaMigrator> logger)
{
    // An arbitrary, fixed 64-bit key for pg_advisory_lock shared by every Bastion node.
    private const long AdvisoryLockKey = 0x42617374696F6E;

    public SchemaMigrator(DatabaseProvider provider, string connectionString, ILogger<SchemaMigrator> logger)
        : this(provider, connectionString, [MigrationSource.Bastion], logger)
    {
    }

    internal static IReadOnlyList<MigrationScript> LoadScripts(DatabaseProvider provider, MigrationSource? source = null)
    {
        source ??= MigrationSource.Bastion;
        var prefix = $"{source.ResourcePrefix}.{provider}.";
        return source.Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => MigrationScript.Load(source.Component, source.Assembly, name, name[prefix.Length..^4]))
            .OrderBy(script => script.Version)
            .ToList();
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var scripts = sources.SelectMany(source => LoadScripts(provider, source)).ToList();
        await using var connection = Open();
        await connection.OpenAsync(cancellationToken);

        if (provider == DatabaseProvider.Postgres)
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            try
            {
                await ApplyAsync(connection, scripts, cancellationToken);
            }
            finally
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
        else
        {
            // WAL lets readers proceed while one writer commits; the busy timeout makes concurrent starters wait.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000;", cancellationToken);
            await ApplyAsync(connection, scripts, cancellationToken);
        }
    }

    private DbConnection Open() => provider switch
    {
        DatabaseProvider.Postgres => new NpgsqlConnection(connectionString),
        _ => new SqliteConnection(connectionString),
    };

    private async Task ApplyAsync(DbConnection connection, IReadOnlyList<MigrationScript> scripts, CancellationToken cancellationToken)
    {
        var appliedAt = provider == DatabaseProvider.Postgres ? "timestamptz NOT NULL DEFAULT now()" : "INTEGER NOT NULL";
        await ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS schema_migrations (component text NOT NULL, version integer NOT NULL, name text NOT NULL, checksum text NOT NULL, applied_at {appliedAt}, PRIMARY KEY (component, version))",
            cancellationToken);

        foreach (var script in scripts)
        {
            // On SQLite a non-deferred transaction is BEGIN IMMEDIATE: it takes the write lock up front, so a second
            // node waits here and then sees the version recorded.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

            var recorded = await ReadChecksumAsync(connection, transaction, script, cancellationToken);
            if (recorded is not null)
            {
                if (!string.Equals(recorded, script.Checksum, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"Migration {script.Component} {script.Version} ({script.Name}) was changed after it was applied. Applied migrations must never be edited; add a new one instead.");
                }

                await transaction.CommitAsync(cancellationToken);
                continue;
            }

            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await RecordAsync(connection, transaction, script, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Log.MigrationApplied(logger, script.Component, script.Version, script.Name);
        }
    }

    private static async Task<string?> ReadChecksumAsync(DbConnection connection, DbTransaction transaction, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT checksum FROM schema_migrations WHERE component = @component AND version = @version";
        command.AddParameter("@component", script.Component);
        command.AddParameter("@version", script.Version);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private async Task RecordAsync(DbConnection connection, DbTransaction transaction, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = provider == DatabaseProvider.Postgres
            ? "INSERT INTO schema_migrations (component, version, name, checksum) VALUES (@component, @version, @name, @checksum)"
            : "INSERT INTO schema_migrations (component, version, name, checksum, applied_at) VALUES (@component, @version, @name, @checksum, @appliedAt)";
        command.AddParameter("@component", script.Component);
        command.AddParameter("@version", script.Version);
        command.AddParameter("@name", script.Name);
        command.AddParameter("@checksum", script.Checksum);
        if (provider == DatabaseProvider.Sqlite)
        {
            command.AddParameter("@appliedAt", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The text is one of the embedded migration scripts or a constant, never input.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Applied schema migration {Component} {Version} ({Name})", EventName = "MigrationApplied")]
        public static partial void MigrationApplied(ILogger logger, string component, int version, string name);
    }
}

/// <summary>One embedded migration script: <c>NNNN_name.sql</c>.</summary>
internal sealed record MigrationScript(string Component, int Version, string Name, string Sql, string Checksum)
{
    public static MigrationScript Load(string component, Assembly assembly, string resourceName, string fileStem)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Missing embedded migration {resourceName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var sql = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var separator = fileStem.IndexOf('_', StringComparison.Ordinal);
        var version = int.Parse(fileStem[..separator], System.Globalization.CultureInfo.InvariantCulture);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new MigrationScript(component, version, fileStem[(separator + 1)..], sql, checksum);
    }
}
