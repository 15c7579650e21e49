using System.Collections.Concurrent;
using System.Globalization;
using Bastion.State;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Tokens;

/// <summary>
/// Which access tokens are revoked before they expire: single tokens (by <c>jti</c>), whole refresh families
/// (by <c>sid</c>) and everything a user held before a moment (by <c>sub</c> and <c>iat</c>). The database is the
/// record: token and user revocations in <c>access_token_revocations</c>, families in <c>token_families.revoked_at</c>.
/// Every node keeps them in memory, so the check on each request costs no round trip; a revocation is applied
/// locally at once, announced to the other nodes on the state store's channel, and every node reloads the whole
/// list from the database at start (before it accepts requests) and every few seconds. So a state store that loses
/// its data, or a message lost in an outage, can delay a revocation on another node by one reload interval, and can
/// never undo one (RFC 7009 §2: a revoked token stays invalid). Entries are kept only until the tokens they cover
/// have expired, so the lists stay small.
/// </summary>
public sealed partial class TokenRevocations(
    IServiceScopeFactory scopes,
    IStateStore store,
    IOptions<StateOptions> state,
    IOptions<TokenOptions> options,
    TimeProvider time,
    ILogger<TokenRevocations> logger) : ISharedState
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _families = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Before, DateTimeOffset Until)> _users = new(StringComparer.Ordinal);

    public string Channel => state.Value.KeyPrefix + "token-revocations";

    public TimeSpan? ReloadInterval => TimeSpan.FromSeconds(5);

    private TimeSpan Coverage => options.Value.AccessTokenLifetime + options.Value.ClockSkew;

    /// <summary>Whether a validated token is revoked. Called on every bearer request: memory only.</summary>
    public bool IsRevoked(string? jti, string? familyId, string? userId, DateTimeOffset issuedAt)
        => (jti is not null && _tokens.ContainsKey(jti))
            || (familyId is not null && _families.ContainsKey(familyId))
            || (userId is not null && _users.TryGetValue(userId, out var user) && issuedAt < user.Before);

    /// <summary>
    /// Revokes one access token until it expires: recorded through <paramref name="db"/> (in its transaction, when
    /// one is open), applied here and announced.
    /// </summary>
    public Task RevokeTokenAsync(BastionDbContext db, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
        => AddAsync(db, new Entry('t', jti, expiresAt, expiresAt), cancellationToken);

    /// <summary>
    /// Applies and announces the revocation of a family whose <c>revoked_at</c> has been committed: its access tokens
    /// still alive stop working on every node.
    /// </summary>
    public Task RevokeFamilyAsync(Guid familyId, CancellationToken cancellationToken = default)
    {
        var until = time.GetUtcNow() + Coverage;
        var entry = new Entry('f', familyId.ToString(), until, until);
        Apply(entry);
        return AnnounceAsync(entry, cancellationToken);
    }

    /// <summary>
    /// Revokes every access token issued to a user in an earlier second than now. (<c>iat</c> counts whole
    /// seconds, RFC 7519 §2; tokens from this very second are covered by revoking their families, which
    /// <see cref="TokenService.RevokeUserAsync"/> does as well, so a sign-in right after still works.)
    /// </summary>
    public Task RevokeUserAsync(BastionDbContext db, Guid userId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var second = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        return AddAsync(db, new Entry('u', userId.ToString(), second, now + Coverage), cancellationToken);
    }

    /// <summary>Applies a revocation announced by another node.</summary>
    public ValueTask ApplyAsync(string message)
    {
        if (Entry.TryParse(message, out var entry))
        {
            Apply(entry);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Reads every revocation still in force from the database and drops what has expired.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var familiesSince = now - Coverage;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
        var revocations = await db.AccessTokenRevocations.AsNoTracking().Where(r => r.Until > now).ToListAsync(cancellationToken);
        var families = await db.TokenFamilies.AsNoTracking()
            .Where(f => f.RevokedAt != null && f.RevokedAt > familiesSince)
            .Select(f => new { f.Id, f.RevokedAt })
            .ToListAsync(cancellationToken);

        foreach (var revocation in revocations)
        {
            Apply(new Entry(revocation.Kind[0], revocation.Id, revocation.NotBefore, revocation.Until));
        }

        foreach (var family in families)
        {
            var until = family.RevokedAt!.Value + Coverage;
            Apply(new Entry('f', family.Id.ToString(), until, until));
        }

        Prune(_tokens, now);
        Prune(_families, now);
        foreach (var (key, value) in _users)
        {
            if (value.Until <= now)
            {
                _users.TryRemove(KeyValuePair.Create(key, value));
            }
        }

        // Rows whose tokens have all expired are of no more use; any node may remove them.
        var expired = now - TimeSpan.FromMinutes(1);
        await db.AccessTokenRevocations.Where(r => r.Until < expired).ExecuteDeleteAsync(cancellationToken);
    }

    // Written through the caller's context, so the revocation joins the caller's transaction: on SQLite a second
    // connection would wait for that transaction's write lock.
    private async Task AddAsync(BastionDbContext db, Entry entry, CancellationToken cancellationToken)
    {
        var kind = entry.Kind.ToString();
        var provider = DatabaseValues.ProviderOf(db);
        var notBefore = DatabaseValues.Time(provider, entry.Before);
        var until = DatabaseValues.Time(provider, entry.Until);

        // An upsert that only ever widens a revocation: a concurrent, older one cannot shorten it.
        var greatest = provider == DatabaseProvider.Sqlite ? "max" : "GREATEST";
#pragma warning disable EF1003 // Only the function name is spliced in, and it is one of two constants; values are parameters.
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO access_token_revocations (kind, id, not_before, until) VALUES ({0}, {1}, {2}, {3}) " +
            $"ON CONFLICT (kind, id) DO UPDATE SET not_before = {greatest}(access_token_revocations.not_before, excluded.not_before), " +
            $"until = {greatest}(access_token_revocations.until, excluded.until)",
            [kind, entry.Id, notBefore, until], cancellationToken);
#pragma warning restore EF1003

        Apply(entry);
        await AnnounceAsync(entry, cancellationToken);
    }

    // The announcement only hurries the other nodes: the database already holds the revocation, and their next
    // reload applies it if the message is lost, so a state store outage does not fail the revocation.
    private async Task AnnounceAsync(Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            await store.PublishAsync(Channel, entry.ToString(), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.AnnouncementFailed(logger, entry.Kind, exception.GetType().Name);
        }
    }

    private void Apply(Entry entry)
    {
        switch (entry.Kind)
        {
            case 't':
                _tokens[entry.Id] = entry.Until;
                break;
            case 'f':
                _families[entry.Id] = entry.Until;
                break;
            case 'u':
                _users.AddOrUpdate(entry.Id, (entry.Before, entry.Until),
                    (_, existing) => (Max(existing.Before, entry.Before), Max(existing.Until, entry.Until)));
                break;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static void Prune(ConcurrentDictionary<string, DateTimeOffset> entries, DateTimeOffset now)
    {
        foreach (var (key, until) in entries)
        {
            if (until <= now)
            {
                entries.TryRemove(KeyValuePair.Create(key, until));
            }
        }
    }

    /// <summary>One revocation as text: <c>kind|id|before|until</c> with Unix milliseconds.</summary>
    private readonly record struct Entry(char Kind, string Id, DateTimeOffset Before, DateTimeOffset Until)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Kind}|{Id}|{Before.ToUnixTimeMilliseconds()}|{Until.ToUnixTimeMilliseconds()}");

        public static bool TryParse(string text, out Entry entry)
        {
            entry = default;
            var parts = text.Split('|');
            if (parts.Length != 4 || parts[0].Length != 1 || parts[0][0] is not ('t' or 'f' or 'u')
                || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var before)
                || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var until))
            {
                return false;
            }

            entry = new Entry(parts[0][0], parts[1], DateTimeOffset.FromUnixTimeMilliseconds(before), DateTimeOffset.FromUnixTimeMilliseconds(until));
            return true;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A revocation (kind {Kind}) is recorded but could not be announced ({ExceptionType}); other nodes apply it at their next reload", EventName = "RevocationAnnouncementFailed")]
        public static partial void AnnouncementFailed(ILogger logger, char kind, string exceptionType);
    }
}
