using System.Collections.Concurrent;
using Bastion.State;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bastion.Access;

/// <summary>
/// The per-user permission cache. Authorization reads roles and grants from here, not from the claims of a
/// session or token, so a role change applies at once: <see cref="InvalidateAsync"/> clears the entry on every
/// node through the state store's channel. Entries also expire after a minute in case a message was missed. It
/// also knows whether the account has a second factor, which step-up asks on every sensitive request.
/// </summary>
public sealed class AccessSubjectStore(IServiceScopeFactory scopes, IStateStore store, IOptions<StateOptions> state, TimeProvider time) : ISharedState
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, (AccessSubject Subject, DateTimeOffset LoadedAt)> _subjects = new();
    private volatile Matrix? _matrix;

    public string Channel => state.Value.KeyPrefix + "access-changed";

    /// <summary>Entries expire after a minute, so messages alone suffice.</summary>
    public TimeSpan? ReloadInterval => null;

    public async ValueTask<AccessSubject?> GetAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        if (_subjects.TryGetValue(userId, out var cached) && time.GetUtcNow() - cached.LoadedAt < MaxAge)
        {
            return cached.Subject;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
        var matrix = _matrix ??= await LoadMatrixAsync(db, cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Department, u.Status, HasSecondFactor = u.TotpSecret != null || u.EmailMfaEnabled, EmailVerified = u.EmailVerifiedAt != null, Roles = u.Roles.Select(r => r.RoleName).ToList() })
            .FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            _subjects.TryRemove(userId, out _);
            return null;
        }

        var rank = user.Roles.Select(r => matrix.Ranks.GetValueOrDefault(r)).DefaultIfEmpty(0).Max();
        var grants = matrix.Grants.Where(g => g.Rank <= rank).Select(g => g.Grant).Distinct().ToList();
        var subject = new AccessSubject(userId, user.Department, user.Status == UserStatus.Active, user.Roles, rank, grants)
        {
            HasSecondFactor = user.HasSecondFactor,
            EmailVerified = user.EmailVerified,
        };
        _subjects[userId] = (subject, time.GetUtcNow());
        return subject;
    }

    /// <summary>The rank of a role, or null for an unknown role.</summary>
    public async ValueTask<int?> RankOfAsync(string role, CancellationToken cancellationToken = default)
    {
        var matrix = _matrix;
        if (matrix is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            matrix = _matrix = await LoadMatrixAsync(scope.ServiceProvider.GetRequiredService<BastionDbContext>(), cancellationToken);
        }

        return matrix.Ranks.TryGetValue(role, out var rank) ? rank : null;
    }

    /// <summary>Forgets one user's permissions (or, with null, the whole matrix) on every node.</summary>
    public async Task InvalidateAsync(Guid? userId, CancellationToken cancellationToken = default)
    {
        Apply(userId?.ToString() ?? "*");
        await store.PublishAsync(Channel, userId?.ToString() ?? "*", cancellationToken);
    }

    public ValueTask ApplyAsync(string message)
    {
        Apply(message);
        return ValueTask.CompletedTask;
    }

    public Task ReloadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Apply(string message)
    {
        if (Guid.TryParse(message, out var userId))
        {
            _subjects.TryRemove(userId, out _);
            return;
        }

        _matrix = null;
        _subjects.Clear();
    }

    private static async Task<Matrix> LoadMatrixAsync(BastionDbContext db, CancellationToken cancellationToken)
    {
        var ranks = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name, r => r.Rank, StringComparer.Ordinal, cancellationToken);
        var grants = await (from link in db.RolePermissions
                            join permission in db.Permissions on link.PermissionId equals permission.Id
                            select new { link.RoleName, permission.Resource, permission.Action, permission.Condition })
            .AsNoTracking().ToListAsync(cancellationToken);
        return new Matrix(ranks, grants.Select(g => (ranks.GetValueOrDefault(g.RoleName), Grant.From(g.Resource, g.Action, g.Condition))).ToList());
    }

    private sealed record Matrix(IReadOnlyDictionary<string, int> Ranks, IReadOnlyList<(int Rank, Grant Grant)> Grants);
}
