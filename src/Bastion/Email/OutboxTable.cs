using System.Data;
using System.Data.Common;
using Bastion.Storage;
using Microsoft.Data.Sqlite;

namespace Bastion.Email;

/// <summary>
/// The <c>email_outbox</c> table over plain ADO.NET, for both providers. Every value travels as a parameter;
/// statement text is constant. Times are whole milliseconds on both providers (Unix milliseconds on SQLite), so that
/// a lease's end read back compares equal to the value written.
/// </summary>
internal sealed class OutboxTable(DatabaseProvider provider, string connectionString)
{
    private const string Returned = "id, recipient, category, content, attempts";

    // Oldest due first. PostgreSQL: rows another node is claiming at this moment are skipped, not waited for, so
    // nodes claiming together get disjoint rows (SKIP LOCKED). SQLite has one writer at a time (BEGIN IMMEDIATE).
    private const string ClaimPostgres = $"""
        UPDATE email_outbox SET locked_until = @lease, attempts = attempts + 1
        WHERE id IN (SELECT id FROM email_outbox
                     WHERE failed_at IS NULL AND due_at <= @now AND (locked_until IS NULL OR locked_until < @now)
                     ORDER BY due_at, id LIMIT @limit FOR UPDATE SKIP LOCKED)
        RETURNING {Returned}
        """;

    private const string ClaimSqlite = $"""
        UPDATE email_outbox SET locked_until = @lease, attempts = attempts + 1
        WHERE id IN (SELECT id FROM email_outbox
                     WHERE failed_at IS NULL AND due_at <= @now AND (locked_until IS NULL OR locked_until < @now)
                     ORDER BY due_at, id LIMIT @limit)
        RETURNING {Returned}
        """;

    public static OutboxTable From(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new OutboxTable(options.Provider, options.ConnectionString
            ?? throw new InvalidOperationException("Bastion:Database:ConnectionString is not set; the e-mail outbox has nowhere to write."));
    }

    /// <summary>A time as this table stores it: whole milliseconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => DatabaseConnection.OpenAsync(provider, connectionString, cancellationToken);

    /// <summary>Adds a message, due now, on <paramref name="connection"/> and inside <paramref name="transaction"/> when given.</summary>
    public async Task InsertAsync(DbConnection connection, DbTransaction? transaction, string recipient, string category, byte[] content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "INSERT INTO email_outbox (recipient, category, content, created_at, due_at, attempts) VALUES (@recipient, @category, @content, @now, @now, 0)");
        Add(command, "@recipient", recipient);
        Add(command, "@category", category);
        Add(command, "@content", content);
        Add(command, "@now", Time(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Leases up to <paramref name="limit"/> due rows until <paramref name="leaseEnds"/> and counts an attempt for each.</summary>
    public async Task<IReadOnlyList<OutboxClaim>> ClaimAsync(int limit, DateTimeOffset now, DateTimeOffset leaseEnds, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);
        var claims = new List<OutboxClaim>(limit);
        await using (var command = Command(connection, transaction, provider == DatabaseProvider.Postgres ? ClaimPostgres : ClaimSqlite))
        {
            Add(command, "@lease", Time(leaseEnds));
            Add(command, "@now", Time(now));
            Add(command, "@limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claims.Add(new OutboxClaim(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetInt32(4), leaseEnds));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claims;
    }

    /// <summary>Removes a sent message, whoever holds its lease now: it has been handed to the mail server.</summary>
    public Task<int> DeleteAsync(long id, CancellationToken cancellationToken)
        => ExecuteAsync("DELETE FROM email_outbox WHERE id = @id", cancellationToken, ("@id", id));

    /// <summary>Makes the row due again at <paramref name="dueAt"/>; false when this claim no longer holds it.</summary>
    public async Task<bool> RescheduleAsync(OutboxClaim claim, DateTimeOffset dueAt, string error, CancellationToken cancellationToken)
        => await ExecuteAsync("UPDATE email_outbox SET due_at = @due, locked_until = NULL, last_error = @error WHERE id = @id AND locked_until = @lease",
            cancellationToken, ("@due", Time(dueAt)), ("@error", error), ("@id", claim.Id), ("@lease", Time(claim.LeaseEnds))) == 1;

    /// <summary>Marks the row failed (kept for the operator, not sent again); false when this claim no longer holds it.</summary>
    public async Task<bool> FailAsync(OutboxClaim claim, DateTimeOffset failedAt, string error, CancellationToken cancellationToken)
        => await ExecuteAsync("UPDATE email_outbox SET failed_at = @failed, locked_until = NULL, last_error = @error WHERE id = @id AND locked_until = @lease",
            cancellationToken, ("@failed", Time(failedAt)), ("@error", error), ("@id", claim.Id), ("@lease", Time(claim.LeaseEnds))) == 1;

    /// <summary>
    /// Gives the row back at once, not counting the attempt that was cut short, so that another node (or this one
    /// after a restart) takes it without waiting for the lease to run out.
    /// </summary>
    public async Task<bool> ReleaseAsync(OutboxClaim claim, CancellationToken cancellationToken)
        => await ExecuteAsync("UPDATE email_outbox SET locked_until = NULL, attempts = attempts - 1 WHERE id = @id AND locked_until = @lease",
            cancellationToken, ("@id", claim.Id), ("@lease", Time(claim.LeaseEnds))) == 1;

    /// <summary>When the earliest row that nobody holds becomes due (maybe already); null when there is none.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT min(due_at) FROM email_outbox WHERE failed_at IS NULL AND (locked_until IS NULL OR locked_until < @now)");
        Add(command, "@now", Time(now));
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value switch
        {
            null or DBNull => null,
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            _ => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>Deletes failed rows older than <paramref name="before"/>.</summary>
    public Task<int> PurgeFailedAsync(DateTimeOffset before, CancellationToken cancellationToken)
        => ExecuteAsync("DELETE FROM email_outbox WHERE failed_at IS NOT NULL AND failed_at < @before", cancellationToken, ("@before", Time(before)));

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql);
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private object Time(DateTimeOffset value) => DatabaseValues.Time(provider, Truncate(value));

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Constant statement text; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
