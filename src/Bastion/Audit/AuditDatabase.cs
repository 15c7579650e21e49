using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Bastion.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bastion.Audit;

/// <summary>
/// The <c>audit_log</c> table over plain ADO.NET, for both providers: connections, the write lock, the chain head,
/// inserts and row mapping. Every value travels as a parameter; statement text is built from constants only.
/// </summary>
internal sealed class AuditDatabase(DatabaseProvider provider, string connectionString)
{
    public const string Columns = "seq, occurred_at, type, severity, outcome, user_id, ip_address, user_agent, resource, action, entity_type, entity_id, request_id, changes, details, prev_hash, hash";
    private const int ColumnCount = 17;

    // pg_advisory_xact_lock key shared by every node ("BastAudt"), distinct from the migrator's key.
    private const long WriteLockKey = 0x4261737441756474;

    public DatabaseProvider Provider => provider;

    public static AuditDatabase From(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AuditDatabase(options.Provider, options.ConnectionString
            ?? throw new InvalidOperationException("Bastion:Database:ConnectionString is not set; the audit log has nowhere to write."));
    }

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => DatabaseConnection.OpenAsync(provider, connectionString, cancellationToken);

    /// <summary>
    /// Starts the batch transaction and takes the chain's write lock before the head is read, so that writers on
    /// several nodes extend one linear chain: PostgreSQL's transaction-scoped advisory lock (released by commit or
    /// rollback, so a crashed writer cannot keep it), SQLite's <c>BEGIN IMMEDIATE</c> (the database's write lock).
    /// </summary>
    public static async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is SqliteConnection sqlite)
        {
            return sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var command = Command(connection, transaction, "SELECT pg_advisory_xact_lock(@key)");
            AddParameter(command, "@key", WriteLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>The last entry's seq and hash, or (0, genesis) for an empty log.</summary>
    public static async Task<(long Seq, string Hash)> ReadHeadAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditHash.Genesis);
    }

    /// <summary>
    /// Inserts the batch: one multi-row statement on PostgreSQL (one round trip); one prepared single-row statement
    /// run per record on SQLite, which has no round trips to save, while a statement with thousands of named
    /// parameters spends its time matching names (Microsoft.Data.Sqlite looks each one up in the collection).
    /// </summary>
    public async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            await InsertEachAsync(connection, transaction, records, cancellationToken);
            return;
        }

        var sql = new StringBuilder("INSERT INTO audit_log (").Append(Columns).Append(") VALUES ");
        await using var command = Command(connection, transaction, "");
        for (var row = 0; row < records.Count; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < ColumnCount; column++)
            {
                sql.Append(column == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@p{row}_{column}");
            }

            sql.Append(')');
            var values = Values(records[row]);
            for (var column = 0; column < ColumnCount; column++)
            {
                AddParameter(command, string.Create(CultureInfo.InvariantCulture, $"@p{row}_{column}"), values[column]);
            }
        }

#pragma warning disable CA2100 // Built from the constant column list and parameter names only.
        command.CommandText = sql.ToString();
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InsertEachAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(0, ColumnCount).Select(column => string.Create(CultureInfo.InvariantCulture, $"@p{column}")).ToArray();
#pragma warning disable CA2100 // Built from the constant column list and parameter names only.
        await using var command = Command(connection, transaction, $"INSERT INTO audit_log ({Columns}) VALUES ({string.Join(", ", names)})");
#pragma warning restore CA2100
        var parameters = names.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();

        foreach (var record in records)
        {
            var values = Values(record);
            for (var column = 0; column < ColumnCount; column++)
            {
                parameters[column].Value = values[column] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Takes the oldest entries of <c>audit_outbox</c> (written with the changes they record), at most
    /// <paramref name="limit"/>, in the order they were written: one <c>DELETE … RETURNING</c>, inside the chain's write
    /// transaction and after its lock, so they leave the outbox exactly when they enter the chain.
    /// </summary>
    public async Task<List<AuditRecord>> TakeOutboxAsync(DbConnection connection, DbTransaction transaction, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "DELETE FROM audit_outbox WHERE id IN (SELECT id FROM audit_outbox ORDER BY id LIMIT @limit) " +
            "RETURNING id, occurred_at, type, severity, outcome, user_id, ip_address, user_agent, resource, action, entity_type, entity_id, request_id, changes, details");
        AddParameter(command, "@limit", limit);
        var entries = new List<(long Id, AuditRecord Record)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add((reader.GetInt64(0), ReadEntry(reader)));
        }

        // RETURNING gives no order; the chain takes them in the order they were written.
        entries.Sort((a, b) => a.Id.CompareTo(b.Id));
        return entries.ConvertAll(entry => entry.Record);
    }

    /// <summary>Maps a row selected with <see cref="Columns"/>, in that order.</summary>
    public AuditRecord Read(DbDataReader reader) => ReadEntry(reader) with
    {
        Seq = reader.GetInt64(0),
        PrevHash = reader.GetString(15),
        Hash = reader.GetString(16),
    };

    // The entry's own columns, occurred_at to details, at ordinals 1 to 14 (after seq, or after the outbox's id).
    private AuditRecord ReadEntry(DbDataReader reader) => new()
    {
        OccurredAt = provider == DatabaseProvider.Postgres
            ? new DateTimeOffset(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(1), DateTimeKind.Utc))
            : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        Type = reader.GetString(2),
        Severity = reader.GetString(3),
        Outcome = reader.GetString(4),
        UserId = reader.IsDBNull(5) ? null : provider == DatabaseProvider.Postgres ? reader.GetGuid(5) : Guid.Parse(reader.GetString(5)),
        IpAddress = Text(reader, 6),
        UserAgent = Text(reader, 7),
        Resource = Text(reader, 8),
        Action = Text(reader, 9),
        EntityType = Text(reader, 10),
        EntityId = Text(reader, 11),
        RequestId = Text(reader, 12),
        ChangesJson = Text(reader, 13),
        DetailsJson = Text(reader, 14),
    };

    /// <summary>A provider's representation of a point in time: timestamptz, or Unix milliseconds on SQLite.</summary>
    public object Timestamp(DateTimeOffset value) => DatabaseValues.Time(provider, value);

    /// <summary>A provider's representation of a user id: uuid, or upper-case text on SQLite (EF Core's GUID format there).</summary>
    public object UserId(Guid value) => DatabaseValues.UserId(provider, value);

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Callers pass constant text or text built from constants; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    public static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private object?[] Values(AuditRecord record) =>
    [
        record.Seq, Timestamp(record.OccurredAt), record.Type, record.Severity, record.Outcome,
        record.UserId is { } userId ? UserId(userId) : null,
        record.IpAddress, record.UserAgent, record.Resource, record.Action, record.EntityType, record.EntityId,
        record.RequestId, record.ChangesJson, record.DetailsJson, record.PrevHash, record.Hash,
    ];

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
