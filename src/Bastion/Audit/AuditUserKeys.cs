using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using Bastion.Hosting;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Audit;

/// <summary>
/// The per-user data keys of the audit log's personal fields (<c>audit_user_keys</c>): 256 random bits per user,
/// created on first use, stored wrapped by <see cref="SecretBox"/> under the purpose <c>audit-user-key:{user}</c> (so a
/// wrapped key copied to another user's row does not unwrap). <see cref="ShredAsync"/> destroys a user's key for good.
/// <para>
/// The writer keeps unwrapped keys for <see cref="CacheLifetime"/>, so a busy writer pays neither the query nor the
/// unwrap per entry. A node that still holds a shredded key for that long only writes values nobody can open any
/// more, which is what shredding promises; readers never cache, so an erasure shows at once on every node.
/// </para>
/// </summary>
internal sealed class AuditUserKeys(AuditDatabase database, SecretBox box, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);

    private const int KeySize = 32;

    private readonly ConcurrentDictionary<Guid, (byte[]? Key, long Until)> _cache = new();

    /// <summary>
    /// The keys of <paramref name="userIds"/> for sealing, in the writer's transaction: null for a shredded user;
    /// a user without a key gets one (committed with the batch, cached only once read back from the table, so a
    /// rolled-back batch cannot leave a key in the cache that the table never had).
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, byte[]?>> ForWriteAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Guid> userIds)
    {
        var now = time.GetTimestamp();
        var keys = new Dictionary<Guid, byte[]?>();
        foreach (var userId in userIds)
        {
            if (keys.ContainsKey(userId))
            {
                continue;
            }

            if (_cache.TryGetValue(userId, out var cached) && cached.Until > now)
            {
                keys[userId] = cached.Key;
                continue;
            }

            var (found, key) = await ReadAsync(connection, transaction, userId, CancellationToken.None);
            if (found)
            {
                _cache[userId] = (key, now + (long)(CacheLifetime.TotalSeconds * time.TimestampFrequency));
                keys[userId] = key;
                continue;
            }

            key = RandomNumberGenerator.GetBytes(KeySize);
            await using var insert = AuditDatabase.Command(connection, transaction,
                "INSERT INTO audit_user_keys (user_id, wrapped_key, created_at) VALUES (@user, @key, @now) ON CONFLICT (user_id) DO NOTHING");
            AuditDatabase.AddParameter(insert, "@user", database.UserId(userId));
            AuditDatabase.AddParameter(insert, "@key", box.Encrypt(key, Purpose(userId)));
            AuditDatabase.AddParameter(insert, "@now", database.Timestamp(time.GetUtcNow()));
            keys[userId] = await insert.ExecuteNonQueryAsync() == 1 ? key : (await ReadAsync(connection, transaction, userId, CancellationToken.None)).Key;
        }

        return keys;
    }

    /// <summary>The key of <paramref name="userId"/> for reading, straight from the table: null when shredded or never created.</summary>
    public async Task<byte[]?> ForReadAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await ReadAsync(connection, null, userId, cancellationToken)).Key;
    }

    /// <summary>Drops this node's cached key of <paramref name="userId"/> (after a shred committed).</summary>
    public void Forget(Guid userId) => _cache.TryRemove(userId, out _);

    /// <summary>
    /// Destroys the key of <paramref name="userId"/> in <paramref name="db"/>'s transaction, leaving a tombstone so that
    /// no later entry creates a fresh one: every personal value sealed for the user becomes unreadable for good.
    /// </summary>
    public static Task ShredAsync(DbContext db, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var provider = DatabaseValues.ProviderOf(db);
        return db.Database.ExecuteSqlRawAsync(
            "INSERT INTO audit_user_keys (user_id, wrapped_key, created_at, shredded_at) VALUES ({0}, NULL, {1}, {1}) "
            + "ON CONFLICT (user_id) DO UPDATE SET wrapped_key = NULL, shredded_at = excluded.shredded_at",
            [DatabaseValues.UserId(provider, userId), DatabaseValues.Time(provider, now)], cancellationToken);
    }

    private async Task<(bool Found, byte[]? Key)> ReadAsync(DbConnection connection, DbTransaction? transaction, Guid userId, CancellationToken cancellationToken)
    {
        await using var select = AuditDatabase.Command(connection, transaction, "SELECT wrapped_key FROM audit_user_keys WHERE user_id = @user");
        AuditDatabase.AddParameter(select, "@user", database.UserId(userId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (false, null);
        }

        return (true, reader.IsDBNull(0) ? null : box.Decrypt(reader.GetFieldValue<byte[]>(0), Purpose(userId)));
    }

    private static string Purpose(Guid userId) => $"audit-user-key:{userId:N}";
}
