using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bastion.Sessions;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Tokens;

/// <summary>
/// Token pairs: an access token and a refresh token of 256 bits, stored as its SHA-256, single use. Each refresh
/// spends the presented token and issues the next one in the same family; presenting a spent token is taken as
/// theft and ends the whole family (RFC 9700 §4.14.2). The family also ends when unused for
/// <see cref="TokenOptions.RefreshTokenLifetime"/> or older than <see cref="TokenOptions.RefreshFamilyLifetime"/>.
/// </summary>
public sealed partial class TokenService(
    BastionDbContext db,
    AccessTokenIssuer issuer,
    TokenRevocations revocations,
    SessionStore sessions,
    IOptions<TokenOptions> options,
    TimeProvider time,
    ILogger<TokenService> logger)
{
    private readonly TokenOptions _options = options.Value;

    /// <summary>Starts a family for a user who has just signed in and returns its first pair.</summary>
    public async Task<TokenPair> IssueAsync(User user, IReadOnlyList<string> amr, SessionClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var family = new TokenFamily
        {
            Id = Guid.CreateVersion7(now),
            UserId = user.Id,
            Amr = string.Join(' ', amr),
            Fingerprint = _options.BindRefreshTokensToClient ? Fingerprint(client) : null,
            CreatedAt = now,
            ExpiresAt = now + _options.RefreshFamilyLifetime,
            LastUsedAt = now,
        };
        db.TokenFamilies.Add(family);
        var refreshToken = AddRefreshToken(family, now);
        await db.SaveChangesAsync(cancellationToken);
        return Pair(user, family, refreshToken);
    }

    /// <summary>Spends a refresh token and returns the next pair, or says why not.</summary>
    public async Task<(TokenPair? Pair, RefreshFailure Failure, Guid? UserId)> RefreshAsync(string? refreshToken, SessionClient client, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(refreshToken) || refreshToken.Length != 43 || !Base64Url.IsValid(refreshToken))
        {
            return (null, RefreshFailure.Invalid, null);
        }

        var now = time.GetUtcNow();
        var hash = Hash(refreshToken);

        // One conditional UPDATE decides the race: of concurrent refreshes with the same token exactly one
        // changes the row; every other caller presented a spent token.
        var spent = await db.RefreshTokens
            .Where(t => t.TokenHash == hash && t.ConsumedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);

        // The token and its family in one round trip; the family is tracked for the changes below.
        var found = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Join(db.TokenFamilies, t => t.FamilyId, f => f.Id, (t, f) => new { Token = t, Family = f })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return (null, RefreshFailure.Invalid, null);
        }

        var token = found.Token;
        var family = found.Family;
        db.TokenFamilies.Attach(family);
        if (spent == 0)
        {
            if (token.ConsumedAt is null)
            {
                return (null, RefreshFailure.Expired, family.UserId);
            }

            if (now - token.ConsumedAt.Value <= _options.RefreshReuseLeeway && family.RevokedAt is null)
            {
                return (null, RefreshFailure.Concurrent, family.UserId);
            }

            if (family.RevokedAt is null)
            {
                Log.RefreshTokenReused(logger, family.UserId, family.Id);
                await RevokeFamilyAsync(family, "refresh_reused", cancellationToken);
            }

            return (null, RefreshFailure.Reused, family.UserId);
        }

        if (family.RevokedAt is not null)
        {
            return (null, RefreshFailure.Revoked, family.UserId);
        }

        if (family.ExpiresAt <= now)
        {
            return (null, RefreshFailure.Expired, family.UserId);
        }

        if (family.Fingerprint is not null && !string.Equals(family.Fingerprint, Fingerprint(client), StringComparison.Ordinal))
        {
            Log.RefreshFromAnotherClient(logger, family.UserId, family.Id);
            await RevokeFamilyAsync(family, "client_mismatch", cancellationToken);
            return (null, RefreshFailure.Revoked, family.UserId);
        }

        var user = await db.Users.Include(u => u.Roles).AsNoTracking().FirstAsync(u => u.Id == family.UserId, cancellationToken);
        if (user.Status != UserStatus.Active)
        {
            await RevokeFamilyAsync(family, "account_inactive", cancellationToken);
            return (null, RefreshFailure.Revoked, family.UserId);
        }

        family.LastUsedAt = now;
        var next = AddRefreshToken(family, now);
        await db.SaveChangesAsync(cancellationToken);
        return (Pair(user, family, next), RefreshFailure.None, user.Id);
    }

    /// <summary>Ends a family: its refresh tokens stop working and its access tokens are revoked on every node.</summary>
    public async Task<bool> RevokeFamilyAsync(Guid familyId, Guid userId, string reason, CancellationToken cancellationToken = default)
    {
        var family = await db.TokenFamilies.FirstOrDefaultAsync(f => f.Id == familyId && f.UserId == userId, cancellationToken);
        if (family is null)
        {
            return false;
        }

        await RevokeFamilyAsync(family, reason, cancellationToken);
        return true;
    }

    /// <summary>Ends the family of a refresh token, when it belongs to <paramref name="userId"/>.</summary>
    public async Task<bool> RevokeFamilyOfAsync(string refreshToken, Guid userId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        var hash = Hash(refreshToken);
        var familyId = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).FirstOrDefaultAsync(cancellationToken);
        return familyId is { } id && await RevokeFamilyAsync(id, userId, reason, cancellationToken);
    }

    /// <summary>
    /// Ends every sign-in of the user but the caller's own: the other sessions and token families (their access tokens
    /// by <c>sid</c>). For "sign out everywhere else" and after a second factor is added (ASVS 5.0 §7.4.3). Returns
    /// how many sessions and families ended.
    /// </summary>
    public async Task<int> RevokeOthersAsync(Guid userId, string reason, string? keepSession, Guid? keepFamily, CancellationToken cancellationToken = default)
        => await RevokeFamiliesAsync(userId, reason, keepFamily, cancellationToken) + await sessions.RevokeAllAsync(userId, keepSession, cancellationToken);

    /// <summary>
    /// Ends everything a user holds — every token family, every access token and every session except
    /// <paramref name="keepSession"/> — after a password change or reset, or when the account is disabled.
    /// </summary>
    public async Task RevokeUserAsync(Guid userId, string reason, string? keepSession = null, CancellationToken cancellationToken = default)
    {
        await RevokeFamiliesAsync(userId, reason, keepFamily: null, cancellationToken);
        await revocations.RevokeUserAsync(userId, cancellationToken);
        await sessions.RevokeAllAsync(userId, keepSession, cancellationToken);
    }

    // Marks the user's live families revoked in the database, then tells every node to refuse their access tokens.
    private async Task<int> RevokeFamiliesAsync(Guid userId, string reason, Guid? keepFamily, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var families = await db.TokenFamilies.Where(f => f.UserId == userId && f.RevokedAt == null && f.Id != keepFamily).ToListAsync(cancellationToken);
        foreach (var family in families)
        {
            family.RevokedAt = now;
            family.RevokedReason = reason;
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var family in families)
        {
            await revocations.RevokeFamilyAsync(family.Id, cancellationToken);
        }

        return families.Count;
    }

    private async Task RevokeFamilyAsync(TokenFamily family, string reason, CancellationToken cancellationToken)
    {
        family.RevokedAt ??= time.GetUtcNow();
        family.RevokedReason ??= reason;
        await db.SaveChangesAsync(cancellationToken);
        await revocations.RevokeFamilyAsync(family.Id, cancellationToken);
    }

    private string AddRefreshToken(TokenFamily family, DateTimeOffset now)
    {
        var value = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expires = now + _options.RefreshTokenLifetime;
        db.RefreshTokens.Add(new RefreshTokenRecord
        {
            TokenHash = Hash(value),
            FamilyId = family.Id,
            CreatedAt = now,
            ExpiresAt = expires < family.ExpiresAt ? expires : family.ExpiresAt,
        });
        return value;
    }

    private TokenPair Pair(User user, TokenFamily family, string refreshToken)
    {
        var (accessToken, expiresAt) = issuer.Issue(user, family.Id, family.Amr.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var expiresIn = (int)Math.Round((expiresAt - time.GetUtcNow()).TotalSeconds);
        return new TokenPair(accessToken, refreshToken, expiresIn, AccessTokenIssuer.DefaultScope) { FamilyId = family.Id };
    }

    private static string Hash(string value) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(value)));

    private static string Fingerprint(SessionClient client)
        => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(client.UserAgent ?? string.Empty)));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A spent refresh token was presented again: family {FamilyId} of user {UserId} is revoked", EventName = "RefreshTokenReused")]
        public static partial void RefreshTokenReused(ILogger logger, Guid userId, Guid familyId);

        [LoggerMessage(2, LogLevel.Warning, "A refresh token was presented by another client than it was issued to: family {FamilyId} of user {UserId} is revoked", EventName = "RefreshFromAnotherClient")]
        public static partial void RefreshFromAnotherClient(ILogger logger, Guid userId, Guid familyId);
    }
}
