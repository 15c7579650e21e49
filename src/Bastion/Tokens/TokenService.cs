using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bastion.Audit;
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
    RefreshTokenSuccessors successors,
    IAuditLog audit,
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

    /// <summary>
    /// Spends a refresh token and returns the next pair, or says why not. Spending the token, issuing its successor,
    /// any revocation and the audit entry (<paramref name="describe"/> turns the outcome into the event) commit in one
    /// transaction, so a failure part-way leaves the token unspent for the client's retry.
    /// <para>
    /// A token spent less than <see cref="TokenOptions.RefreshRetryWindow"/> ago, whose successor is still unused, is
    /// a retry by a client that never saw the answer (a lost response, a node that died after the commit): it gets
    /// that same successor again (see <see cref="RefreshTokenSuccessors"/>) and keeps its family. Any other spent token
    /// — outside the window, or after its successor was used — is reuse: the family is revoked (RFC 9700 §4.14.2).
    /// </para>
    /// </summary>
    public async Task<(TokenPair? Pair, RefreshFailure Failure, Guid? UserId)> RefreshAsync(
        string? refreshToken, SessionClient client, Func<RefreshFailure, Guid?, AuditEvent> describe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(describe);
        if (string.IsNullOrEmpty(refreshToken) || refreshToken.Length != 43 || !Base64Url.IsValid(refreshToken))
        {
            await audit.WriteAsync(describe(RefreshFailure.Invalid, null), cancellationToken);
            return (null, RefreshFailure.Invalid, null);
        }

        var now = time.GetUtcNow();
        var hash = Hash(refreshToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // One conditional UPDATE decides the race: of concurrent refreshes with the same token exactly one changes
        // the row. The others wait for its transaction (PostgreSQL's row lock, SQLite's write lock) and then find
        // the token spent, with its successor committed.
        var spent = await db.RefreshTokens
            .Where(t => t.TokenHash == hash && t.ConsumedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);

        // The token and its family in one round trip; the family is tracked for the changes below.
        var found = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Join(db.TokenFamilies, t => t.FamilyId, f => f.Id, (t, f) => new { Token = t, Family = f })
            .FirstOrDefaultAsync(cancellationToken);

        Refresh outcome;
        if (found is null)
        {
            outcome = new Refresh(RefreshFailure.Invalid);
        }
        else
        {
            db.TokenFamilies.Attach(found.Family);
            outcome = spent == 1
                ? await NextAsync(found.Family, successors.Of(refreshToken), client, now, issue: true, cancellationToken)
                : await RetryOrReuseAsync(found.Token, found.Family, refreshToken, client, now, cancellationToken);
        }

        var auditEvent = describe(outcome.Failure, outcome.User?.Id ?? found?.Family.UserId);
        audit.Stage(db, outcome.Retried ? auditEvent with { Details = new JsonObject { ["retry"] = true } } : auditEvent);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        if (outcome.RevokedFamily is { } revoked)
        {
            await revocations.RevokeFamilyAsync(revoked, cancellationToken);
        }

        return outcome.User is { } user
            ? (Pair(user, found!.Family, outcome.RefreshToken!), RefreshFailure.None, user.Id)
            : (null, outcome.Failure, found?.Family.UserId);
    }

    // The presented token was already spent: a retry inside the window gets the same successor, anything else is reuse.
    private async Task<Refresh> RetryOrReuseAsync(
        RefreshTokenRecord token, TokenFamily family, string refreshToken, SessionClient client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (token.ConsumedAt is null)
        {
            return new Refresh(RefreshFailure.Expired);
        }

        var retry = now - token.ConsumedAt.Value <= _options.RefreshRetryWindow;
        if (family.RevokedAt is not null)
        {
            // Inside the window this is most likely the owner's retry, and the family ended for another reason (a
            // logout, a password change): answering reuse would raise a theft alarm over a lost answer.
            return new Refresh(retry ? RefreshFailure.Revoked : RefreshFailure.Reused);
        }

        if (retry)
        {
            var successor = successors.Of(refreshToken);
            var successorHash = Hash(successor);
            var unused = await db.RefreshTokens.AnyAsync(
                t => t.TokenHash == successorHash && t.FamilyId == family.Id && t.ConsumedAt == null && t.ExpiresAt > now, cancellationToken);
            if (unused)
            {
                return await NextAsync(family, successor, client, now, issue: false, cancellationToken) with { Retried = true };
            }
        }

        Log.RefreshTokenReused(logger, family.UserId, family.Id);
        Revoke(family, "refresh_reused");
        return new Refresh(RefreshFailure.Reused) { RevokedFamily = family.Id };
    }

    // The checks every refresh passes before it gets tokens; the successor row is added unless a retry finds it stored.
    private async Task<Refresh> NextAsync(TokenFamily family, string successor, SessionClient client, DateTimeOffset now, bool issue, CancellationToken cancellationToken)
    {
        if (family.RevokedAt is not null)
        {
            return new Refresh(RefreshFailure.Revoked);
        }

        if (family.ExpiresAt <= now)
        {
            return new Refresh(RefreshFailure.Expired);
        }

        if (family.Fingerprint is not null && !string.Equals(family.Fingerprint, Fingerprint(client), StringComparison.Ordinal))
        {
            Log.RefreshFromAnotherClient(logger, family.UserId, family.Id);
            Revoke(family, "client_mismatch");
            return new Refresh(RefreshFailure.Revoked) { RevokedFamily = family.Id };
        }

        var user = await db.Users.Include(u => u.Roles).AsNoTracking().FirstAsync(u => u.Id == family.UserId, cancellationToken);
        if (user.Status != UserStatus.Active)
        {
            Revoke(family, "account_inactive");
            return new Refresh(RefreshFailure.Revoked) { RevokedFamily = family.Id };
        }

        family.LastUsedAt = now;
        if (issue)
        {
            AddRefreshToken(family, now, successor);
        }

        return new Refresh(RefreshFailure.None) { User = user, RefreshToken = successor };
    }

    private void Revoke(TokenFamily family, string reason)
    {
        family.RevokedAt ??= time.GetUtcNow();
        family.RevokedReason ??= reason;
    }

    /// <summary>What a refresh came to, before its transaction commits.</summary>
    private sealed record Refresh(RefreshFailure Failure)
    {
        public User? User { get; init; }
        public string? RefreshToken { get; init; }
        public Guid? RevokedFamily { get; init; }
        public bool Retried { get; init; }
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

    /// <summary>Revokes one access token (by its <c>jti</c>) until it expires, on every node.</summary>
    public Task RevokeAccessTokenAsync(string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
        => revocations.RevokeTokenAsync(db, jti, expiresAt, cancellationToken);

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
        await revocations.RevokeUserAsync(db, userId, cancellationToken);
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
        Revoke(family, reason);
        await db.SaveChangesAsync(cancellationToken);
        await revocations.RevokeFamilyAsync(family.Id, cancellationToken);
    }

    private string AddRefreshToken(TokenFamily family, DateTimeOffset now, string? value = null)
    {
        value ??= Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
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
