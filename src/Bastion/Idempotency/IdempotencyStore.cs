using System.Data.Common;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bastion.Idempotency;

/// <summary>
/// The <c>idempotency_keys</c> table over the connection and open transaction of the context that makes the change,
/// so that a key's row commits or rolls back with the change it answers.
/// </summary>
internal static class IdempotencyStore
{
    /// <summary>The stored answer for the caller's key, or null when the key is new.</summary>
    public static async Task<StoredResponse?> FindAsync(DbContext db, Guid userId, string key, CancellationToken cancellationToken)
    {
        await using var command = Command(db, "SELECT request_hash, status, location, content_type, body FROM idempotency_keys WHERE user_id = @user AND key = @key");
        command.AddParameter("@user", UserId(db, userId));
        command.AddParameter("@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredResponse(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4))
            : null;
    }

    /// <summary>
    /// Takes the key for this request (a key past its lifetime is taken afresh); false when another request holds it. On PostgreSQL a concurrent request with the
    /// same key waits here until the first one's transaction ends (the primary key's lock), then finds its row.
    /// </summary>
    public static async Task<bool> ClaimAsync(DbContext db, Guid userId, string key, string requestHash, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await using var command = Command(db,
            "INSERT INTO idempotency_keys (user_id, key, request_hash, status, created_at, expires_at) VALUES (@user, @key, @hash, 0, @now, @expires) " +
            "ON CONFLICT (user_id, key) DO UPDATE SET request_hash = excluded.request_hash, status = 0, location = NULL, content_type = NULL, body = NULL, " +
            "created_at = excluded.created_at, expires_at = excluded.expires_at WHERE idempotency_keys.expires_at < excluded.created_at");
        command.AddParameter("@user", UserId(db, userId));
        command.AddParameter("@key", key);
        command.AddParameter("@hash", requestHash);
        command.AddParameter("@now", Time(db, now));
        command.AddParameter("@expires", Time(db, now + lifetime));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records the answer under the claimed key, in the change's transaction.</summary>
    public static async Task CompleteAsync(DbContext db, Guid userId, string key, StoredResponse response, CancellationToken cancellationToken)
    {
        await using var command = Command(db,
            "UPDATE idempotency_keys SET status = @status, location = @location, content_type = @type, body = @body WHERE user_id = @user AND key = @key");
        command.AddParameter("@status", response.Status);
        command.AddParameter("@location", (object?)response.Location ?? DBNull.Value);
        command.AddParameter("@type", (object?)response.ContentType ?? DBNull.Value);
        command.AddParameter("@body", (object?)response.Body ?? DBNull.Value);
        command.AddParameter("@user", UserId(db, userId));
        command.AddParameter("@key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes keys past their lifetime; returns how many.</summary>
    public static Task<int> PurgeAsync(DbContext db, DateTimeOffset now, CancellationToken cancellationToken)
#pragma warning disable EF1002 // A constant statement; the time is a parameter.
        => db.Database.ExecuteSqlRawAsync("DELETE FROM idempotency_keys WHERE expires_at < {0}", [Time(db, now)], cancellationToken);
#pragma warning restore EF1002

    private static DbCommand Command(DbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
#pragma warning disable CA2100 // Callers pass constant text; values are parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private static object Time(DbContext db, DateTimeOffset value) => DatabaseValues.Time(DatabaseValues.ProviderOf(db), value);

    private static object UserId(DbContext db, Guid value) => DatabaseValues.UserId(DatabaseValues.ProviderOf(db), value);
}
