using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bastion.Sessions;

/// <summary>
/// How many people are signed in, for operators (<c>GET /api/admin/sessions/stats</c>, seed 000's
/// <c>get_session_stats</c>). Sessions live in the state store under each user's index, and a session can only be
/// alive if its user signed in within one absolute session lifetime, so only those users' indexes are read (one
/// read per user and session: the cost follows the number of recently active users, not of all accounts, and
/// never scans the store). Token families come from the database.
/// </summary>
public sealed class SessionStatistics(BastionDbContext db, SessionStore sessions, IOptions<SessionOptions> options, TimeProvider time)
{
    public async Task<SessionStats> ComputeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = now - options.Value.AbsoluteLifetime;
        var recent = await db.Users.AsNoTracking().Where(u => u.LastLoginAt >= since).Select(u => u.Id).ToListAsync(cancellationToken);
        var sessionCount = 0;
        var usersWithSessions = 0;
        foreach (var userId in recent)
        {
            var live = (await sessions.ListAsync(userId, cancellationToken)).Count;
            sessionCount += live;
            usersWithSessions += live > 0 ? 1 : 0;
        }

        var dayAgo = now.AddDays(-1);
        var families = db.TokenFamilies.AsNoTracking().Where(f => f.RevokedAt == null && f.ExpiresAt > now);
        var familyCount = await families.CountAsync(cancellationToken);
        var usersWithFamilies = await families.Select(f => f.UserId).Distinct().CountAsync(cancellationToken);
        var signedInToday = await db.Users.CountAsync(u => u.LastLoginAt >= dayAgo, cancellationToken);
        return new SessionStats(now, sessionCount, usersWithSessions, familyCount, usersWithFamilies, signedInToday);
    }
}

/// <param name="ActiveSessions">Live browser sessions (cookie), on every node.</param>
/// <param name="UsersWithSessions">Users with at least one of them.</param>
/// <param name="ActiveTokenFamilies">Refresh-token families neither revoked nor expired (API clients signed in).</param>
/// <param name="UsersWithTokenFamilies">Users with at least one of those.</param>
/// <param name="UsersSignedInLast24Hours">Users whose last sign-in was within a day.</param>
public sealed record SessionStats(
    DateTimeOffset GeneratedAt, int ActiveSessions, int UsersWithSessions, int ActiveTokenFamilies, int UsersWithTokenFamilies, int UsersSignedInLast24Hours);
