using System.Collections.Concurrent;
using System.Globalization;
using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Tokens;

/// <summary>
/// Which access tokens are revoked before they expire: single tokens (by <c>jti</c>), whole refresh families
/// (by <c>sid</c>) and everything a user held before a moment (by <c>sub</c> and <c>iat</c>). Revocations are
/// written to the shared state store and announced on a channel; every node keeps them in memory, so the check on
/// each request costs no round trip, and reloads the full list every few seconds in case a message was missed.
/// Entries are kept only until the tokens they cover have expired, so the lists stay small.
/// </summary>
public sealed class TokenRevocations(IStateStore store, IOptions<StateOptions> state, IOptions<TokenOptions> options, TimeProvider time) : ISharedState
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _families = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Before, DateTimeOffset Until)> _users = new(StringComparer.Ordinal);

    public string Channel => state.Value.KeyPrefix + "token-revocations";

    public TimeSpan? ReloadInterval => TimeSpan.FromSeconds(5);

    private string ListKey => state.Value.KeyPrefix + "token-revocations";

    private TimeSpan Coverage => options.Value.AccessTokenLifetime + options.Value.ClockSkew;

    /// <summary>Whether a validated token is revoked. Called on every bearer request: memory only.</summary>
    public bool IsRevoked(string? jti, string? familyId, string? userId, DateTimeOffset issuedAt)
        => (jti is not null && _tokens.ContainsKey(jti))
            || (familyId is not null && _families.ContainsKey(familyId))
            || (userId is not null && _users.TryGetValue(userId, out var user) && issuedAt < user.Before);

    /// <summary>Revokes one access token until it expires.</summary>
    public Task RevokeTokenAsync(string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
        => AddAsync(new Entry('t', jti, expiresAt, expiresAt), cancellationToken);

    /// <summary>Revokes every access token of a refresh family still alive.</summary>
    public Task RevokeFamilyAsync(Guid familyId, CancellationToken cancellationToken = default)
    {
        var until = time.GetUtcNow() + Coverage;
        return AddAsync(new Entry('f', familyId.ToString(), until, until), cancellationToken);
    }

    /// <summary>
    /// Revokes every access token issued to a user in an earlier second than now. (<c>iat</c> counts whole
    /// seconds, RFC 7519 §2; tokens from this very second are covered by revoking their families, which
    /// <see cref="TokenService.RevokeUserAsync"/> does as well, so a sign-in right after still works.)
    /// </summary>
    public Task RevokeUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var second = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        return AddAsync(new Entry('u', userId.ToString(), second, now + Coverage), cancellationToken);
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

    /// <summary>Reads the whole list from the store and drops what has expired.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var member in await store.SetMembersAsync(ListKey, cancellationToken))
        {
            if (!Entry.TryParse(member, out var entry))
            {
                continue;
            }

            if (entry.Until <= now)
            {
                await store.SetRemoveAsync(ListKey, member, cancellationToken);
                continue;
            }

            Apply(entry);
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
    }

    private async Task AddAsync(Entry entry, CancellationToken cancellationToken)
    {
        Apply(entry);
        var text = entry.ToString();
        await store.SetAddAsync(ListKey, text, Coverage + TimeSpan.FromMinutes(1), cancellationToken);
        await store.PublishAsync(Channel, text, cancellationToken);
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
}
