using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Sessions;

/// <summary>
/// Server-side sessions over the shared state store. A session id is 256 bits from the OS CSPRNG (OWASP: at
/// least 64 bits of entropy); the store is keyed by its SHA-256 (the "handle"), so a copy of the store holds
/// nothing that works as a cookie. The handle also names the session in the per-user index and the API. Each record
/// is sealed by <see cref="SessionRecordProtector"/> and bound to its handle, so the store holds no address, name or
/// client either. The per-user index holds handles only (hashes), which reveal nothing but a user id and a count.
/// </summary>
public sealed class SessionStore(
    IStateStore store, IOptions<SessionOptions> options, IOptions<StateOptions> stateOptions, TimeProvider time, SessionRecordProtector protector)
{
    private readonly SessionOptions _options = options.Value;
    private readonly string _prefix = stateOptions.Value.KeyPrefix;

    /// <summary>Creates a session and returns the cookie value (shown to the client once) and its handle.</summary>
    public async Task<(string CookieValue, string Handle, SessionRecord Record)> CreateAsync(
        SessionPrincipalData user, SessionClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var cookieValue = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var handle = HandleOf(cookieValue);
        var record = new SessionRecord
        {
            UserId = user.UserId,
            Email = user.Email,
            FullName = user.FullName,
            Roles = user.Roles,
            Amr = user.Amr,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + _options.AbsoluteLifetime,
            IpAddress = client.IpAddress,
            UserAgent = client.UserAgent,
        };

        await WriteAsync(handle, record, now, replaceOnly: false, cancellationToken);
        await store.SetAddAsync(UserIndexKey(user.UserId), handle, _options.AbsoluteLifetime, cancellationToken);
        await TrimAsync(user.UserId, cancellationToken);
        return (cookieValue, handle, record);
    }

    /// <summary>
    /// Resolves a cookie value to its live session, refreshing last activity at most once per
    /// <see cref="SessionOptions.ActivityUpdateInterval"/>. An expired or mismatched session is destroyed.
    /// </summary>
    public async Task<SessionLookup> ValidateAsync(string cookieValue, SessionClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cookieValue);
        if (!LooksLikeSessionId(cookieValue))
        {
            return SessionLookup.Failed(SessionFailure.Unknown);
        }

        var handle = HandleOf(cookieValue);
        var record = await GetAsync(handle, cancellationToken);
        if (record is null)
        {
            return SessionLookup.Failed(SessionFailure.Unknown);
        }

        var now = time.GetUtcNow();
        var failure = now >= record.ExpiresAt ? SessionFailure.Expired
            : now - record.LastSeenAt >= _options.IdleTimeout ? SessionFailure.Idle
            : _options.BindToIpAddress && !string.Equals(record.IpAddress, client.IpAddress, StringComparison.Ordinal) ? SessionFailure.ClientMismatch
            : _options.BindToUserAgent && !string.Equals(record.UserAgent, client.UserAgent, StringComparison.Ordinal) ? SessionFailure.ClientMismatch
            : SessionFailure.None;

        if (failure != SessionFailure.None)
        {
            await RevokeAsync(record.UserId, handle, cancellationToken);
            return SessionLookup.Failed(failure);
        }

        // The activity write only replaces a session that still exists: a revocation that lands between the read
        // above and this write must win, or the ended session would come back.
        if (now - record.LastSeenAt >= _options.ActivityUpdateInterval)
        {
            record = record with { LastSeenAt = now };
            if (!await WriteAsync(handle, record, now, replaceOnly: true, cancellationToken))
            {
                return SessionLookup.Failed(SessionFailure.Unknown);
            }
        }

        return new SessionLookup(handle, record, SessionFailure.None);
    }

    /// <summary>The live sessions of a user, newest first; index entries of ended sessions are cleaned up.</summary>
    public async Task<IReadOnlyList<(string Handle, SessionRecord Record)>> ListAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var indexKey = UserIndexKey(userId);
        var sessions = new List<(string, SessionRecord)>();
        foreach (var handle in await store.SetMembersAsync(indexKey, cancellationToken))
        {
            var record = await GetAsync(handle, cancellationToken);
            if (record is null || record.UserId != userId)
            {
                await store.SetRemoveAsync(indexKey, handle, cancellationToken);
                continue;
            }

            sessions.Add((handle, record));
        }

        return sessions.OrderByDescending(s => s.Item2.CreatedAt).ToList();
    }

    /// <summary>Ends one session of a user. False when the handle names no live session of that user (no IDOR).</summary>
    public async Task<bool> RevokeAsync(Guid userId, string handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var record = await GetAsync(handle, cancellationToken);
        await store.SetRemoveAsync(UserIndexKey(userId), handle, cancellationToken);
        if (record is null || record.UserId != userId)
        {
            return false;
        }

        await store.DeleteAsync(SessionKey(handle), cancellationToken);
        return true;
    }

    /// <summary>Ends every session of a user except <paramref name="keepHandle"/>; returns how many ended.</summary>
    public async Task<int> RevokeAllAsync(Guid userId, string? keepHandle = null, CancellationToken cancellationToken = default)
    {
        var ended = 0;
        foreach (var handle in await store.SetMembersAsync(UserIndexKey(userId), cancellationToken))
        {
            if (!string.Equals(handle, keepHandle, StringComparison.Ordinal) && await RevokeAsync(userId, handle, cancellationToken))
            {
                ended++;
            }
        }

        return ended;
    }

    /// <summary>The handle (store key) of a cookie value.</summary>
    public static string HandleOf(string cookieValue)
    {
        ArgumentNullException.ThrowIfNull(cookieValue);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(cookieValue), hash);
        return Base64Url.EncodeToString(hash);
    }

    // 32 bytes encode to 43 base64url characters; anything else was never issued, so skip the store round trip.
    private static bool LooksLikeSessionId(string value)
        => value.Length == 43 && Base64Url.IsValid(value);

    private async Task<SessionRecord?> GetAsync(string handle, CancellationToken cancellationToken)
    {
        if (!LooksLikeSessionId(handle))
        {
            return null;
        }

        var bytes = await store.GetAsync(SessionKey(handle), cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        // A value that does not open (altered, swapped from another handle, or a plain record from before sealing)
        // is no session: the caller treats it as unknown and signs in again. Accepting plain records would let
        // anyone who can write to the store mint a session, which is what sealing is for.
        var plaintext = protector.Open(bytes, handle);
        return plaintext is null ? null : JsonSerializer.Deserialize(plaintext, SessionJsonContext.Default.SessionRecord);
    }

    private async Task<bool> WriteAsync(string handle, SessionRecord record, DateTimeOffset now, bool replaceOnly, CancellationToken cancellationToken)
    {
        // The entry lives until the earlier of the idle and the absolute deadline; the store forgets it by itself.
        var idleDeadline = record.LastSeenAt + _options.IdleTimeout;
        var timeToLive = (idleDeadline < record.ExpiresAt ? idleDeadline : record.ExpiresAt) - now;
        var bytes = protector.Seal(JsonSerializer.SerializeToUtf8Bytes(record, SessionJsonContext.Default.SessionRecord), handle);
        if (replaceOnly)
        {
            return await store.ReplaceAsync(SessionKey(handle), bytes, timeToLive, cancellationToken);
        }

        await store.SetAsync(SessionKey(handle), bytes, timeToLive, cancellationToken);
        return true;
    }

    private async Task TrimAsync(Guid userId, CancellationToken cancellationToken)
    {
        // Reading every session costs a round trip each; only do it when the index says the cap may be passed.
        if ((await store.SetMembersAsync(UserIndexKey(userId), cancellationToken)).Count <= _options.MaxSessionsPerUser)
        {
            return;
        }

        var sessions = await ListAsync(userId, cancellationToken);
        foreach (var (handle, _) in sessions.Skip(_options.MaxSessionsPerUser))
        {
            await RevokeAsync(userId, handle, cancellationToken);
        }
    }

    private string SessionKey(string handle) => $"{_prefix}session:{handle}";

    private string UserIndexKey(Guid userId) => $"{_prefix}user-sessions:{userId:N}";
}

/// <summary>Who a new session is for.</summary>
public sealed record SessionPrincipalData(Guid UserId, string Email, string FullName, IReadOnlyList<string> Roles, IReadOnlyList<string> Amr);

/// <summary>Why a cookie did not resolve to a session.</summary>
public enum SessionFailure
{
    None,
    Unknown,
    Expired,
    Idle,
    ClientMismatch,
}

/// <summary>The result of <see cref="SessionStore.ValidateAsync"/>.</summary>
public sealed record SessionLookup(string? Handle, SessionRecord? Record, SessionFailure Failure)
{
    public static SessionLookup Failed(SessionFailure failure) => new(null, null, failure);
}
