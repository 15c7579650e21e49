using Bastion.Audit;
using Bastion.Email;
using Bastion.Storage;
using Bastion.Tokens;
using Bastion.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bastion.Access;

/// <summary>
/// Account administration with the hierarchy enforced (<see cref="RoleHierarchy"/>): nobody grants a role above their
/// own, nobody edits, approves, disables or enables an account of their own rank or above, and nobody changes their own
/// department, roles or status (which would move their own reach). Each change commits together with <c>audited</c>,
/// its audit entry, completed with the account's changed fields; a change of roles also queues a notice to the
/// account's owner in the same transaction.
/// </summary>
public sealed partial class UserAdministration(
    BastionDbContext db,
    AccessSubjectStore subjects,
    TokenService tokens,
    IAuditLog audit,
    IEmailOutbox outbox,
    EmailTemplates templates,
    TimeProvider time,
    ILogger<UserAdministration> logger)
{
    public const int MaxPageSize = 100;

    public async Task<(IReadOnlyList<User> Users, int Total)> SearchAsync(string? query, string? status, int page, int pageSize, CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking().Include(u => u.Roles).AsQueryable();
        if (!string.IsNullOrWhiteSpace(query))
        {
            // A parameter, never concatenated SQL; LIKE wildcards in the input are escaped, so they match literally.
            var pattern = LikePattern.Contains(query);
#pragma warning disable CA1304, CA1311 // Translated to SQL lower(); never runs as .NET code.
            users = users.Where(u => EF.Functions.Like(u.NormalizedEmail, pattern, LikePattern.EscapeCharacter) || EF.Functions.Like(u.FullName.ToLower(), pattern, LikePattern.EscapeCharacter));
#pragma warning restore CA1304, CA1311
        }

        if (!string.IsNullOrWhiteSpace(status))
        {
            users = users.Where(u => u.Status == status);
        }

        var total = await users.CountAsync(cancellationToken);
        var items = await users.OrderBy(u => u.NormalizedEmail).Skip(Paging.Offset(page, pageSize)).Take(pageSize).ToListAsync(cancellationToken);
        return (items, total);
    }

    public async Task<AdminResult> UpdateAsync(AccessSubject actor, Guid userId, string? fullName, string? department, AuditEvent audited, CancellationToken cancellationToken)
    {
        var (user, denied) = await TargetAsync(actor, userId, allowSelf: true, cancellationToken);
        if (user is null)
        {
            return denied!;
        }

        var before = Snapshot(user);

        var errors = new FieldErrors();
        if (fullName is not null && PersonName.Validate(fullName) is { } nameError)
        {
            errors.Add("fullName", nameError);
        }

        if (department is not null && DepartmentName.Validate(department) is { } departmentError)
        {
            errors.Add("department", departmentError);
        }

        if (!errors.IsEmpty)
        {
            return AdminResult.Invalid(errors);
        }

        var newDepartment = department is null ? user.Department : department.Length == 0 ? null : department.Trim();

        // A department limits what department-scoped grants reach; moving one's own would move those rights anywhere.
        if (user.Id == actor.UserId && !string.Equals(newDepartment, user.Department, StringComparison.Ordinal))
        {
            return AdminResult.SelfChange("You cannot change your own department.");
        }

        user.FullName = fullName is null ? user.FullName : PersonName.Normalize(fullName);
        user.Department = newDepartment;
        user.UpdatedAt = time.GetUtcNow();
        await SaveAsync(user, before, audited, cancellationToken);
        await subjects.InvalidateAsync(user.Id, cancellationToken);
        return AdminResult.Done(user, before);
    }

    public async Task<AdminResult> ApproveAsync(AccessSubject actor, Guid userId, AuditEvent audited, CancellationToken cancellationToken)
    {
        var (user, denied) = await TargetAsync(actor, userId, allowSelf: false, cancellationToken);
        if (user is null)
        {
            return denied!;
        }

        var before = Snapshot(user);

        if (user.Status != UserStatus.PendingApproval || user.RequestedRole is null)
        {
            return AdminResult.Conflict("This account is not waiting for approval.");
        }

        if (await subjects.RankOfAsync(user.RequestedRole, cancellationToken) is not { } rank || !RoleHierarchy.MayGrant(actor.Rank, rank))
        {
            return AdminResult.Forbidden("You cannot grant a role above your own.");
        }

        user.Roles.Clear();
        user.Roles.Add(new UserRole { UserId = user.Id, RoleName = user.RequestedRole });
        Log.RoleApproved(logger, actor.UserId, user.Id, user.RequestedRole);
        user.RequestedRole = null;
        user.Status = UserStatus.Active;
        user.UpdatedAt = time.GetUtcNow();
        await SaveAsync(user, before, audited, cancellationToken);
        await subjects.InvalidateAsync(user.Id, cancellationToken);
        return AdminResult.Done(user, before);
    }

    public async Task<AdminResult> SetRolesAsync(AccessSubject actor, Guid userId, IReadOnlyList<string>? roles, AuditEvent audited, CancellationToken cancellationToken)
    {
        var (user, denied) = await TargetAsync(actor, userId, allowSelf: false, cancellationToken);
        if (user is null)
        {
            return denied!;
        }

        var before = Snapshot(user);

        if (roles is null || roles.Count == 0 || roles.Any(string.IsNullOrWhiteSpace))
        {
            return AdminResult.Invalid(new FieldErrors().Add("roles", "Give at least one role."));
        }

        var wanted = roles.Select(r => r.Trim()).Distinct(StringComparer.Ordinal).ToList();
        foreach (var role in wanted)
        {
            var rank = await subjects.RankOfAsync(role, cancellationToken);
            if (rank is null)
            {
                return AdminResult.Invalid(new FieldErrors().Add("roles", $"There is no role '{role}'."));
            }

            if (!RoleHierarchy.MayGrant(actor.Rank, rank.Value))
            {
                return AdminResult.Forbidden("You cannot grant a role above your own.");
            }
        }

        user.Roles.Clear();
        foreach (var role in wanted)
        {
            user.Roles.Add(new UserRole { UserId = user.Id, RoleName = role });
        }

        user.UpdatedAt = time.GetUtcNow();
        var previous = (string)before["roles"]!;
        var current = string.Join(',', wanted.Order(StringComparer.Ordinal));
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await SaveAsync(user, before, audited, cancellationToken);

            // The owner learns of a change to what their account may do, in the change's transaction (ASVS 5.0
            // §6.3.7 for authentication details; a role is the authorisation they carry): a grant that nobody asked
            // for, or a demotion, is noticed by the person it concerns. Role names only; nothing secret.
            if (!string.Equals(previous, current, StringComparison.Ordinal))
            {
                var details = SecurityNoticeDetails.For(audited, user.UpdatedAt) with
                {
                    Change = $"Roles now: {current.Replace(",", ", ", StringComparison.Ordinal)}. Before: {(previous.Length == 0 ? "none" : previous.Replace(",", ", ", StringComparison.Ordinal))}.",
                };
                await outbox.EnqueueAsync(templates.SecurityNotice(user.Email, user.FullName, SecurityNoticeKind.RolesChanged, details), db, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await subjects.InvalidateAsync(user.Id, cancellationToken);
        Log.RolesChanged(logger, actor.UserId, user.Id, string.Join(',', wanted));
        return AdminResult.Done(user, before);
    }

    /// <summary>Disables an account and ends every session and token it has, on every node.</summary>
    public async Task<AdminResult> SetDisabledAsync(AccessSubject actor, Guid userId, bool disabled, AuditEvent audited, CancellationToken cancellationToken)
    {
        var (user, denied) = await TargetAsync(actor, userId, allowSelf: false, cancellationToken);
        if (user is null)
        {
            return denied!;
        }

        var before = Snapshot(user);

        user.Status = disabled ? UserStatus.Disabled : UserStatus.Active;
        user.UpdatedAt = time.GetUtcNow();

        // Disabling and ending every token family commit together with the audit entry: a failure between them cannot
        // leave a disabled account whose access tokens still work. Sessions (in the state store) end before the
        // commit, which errs on the safe side; caches are told after it, so no node reloads the old status.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await SaveAsync(user, before, audited, cancellationToken);
            if (disabled)
            {
                await tokens.RevokeUserAsync(user.Id, "account_disabled", cancellationToken: cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await subjects.InvalidateAsync(user.Id, cancellationToken);

        Log.StatusChanged(logger, actor.UserId, user.Id, user.Status);
        return AdminResult.Done(user, before);
    }

    /// <summary>What an audit entry compares before and after a change.</summary>
    internal static IReadOnlyDictionary<string, object?> Snapshot(User user) => new Dictionary<string, object?>
    {
        ["fullName"] = user.FullName,
        ["department"] = user.Department,
        ["status"] = user.Status,
        ["roles"] = string.Join(',', user.Roles.Select(r => r.RoleName).Order(StringComparer.Ordinal)),
    };

    private async Task<(User? User, AdminResult? Denied)> TargetAsync(AccessSubject actor, Guid userId, bool allowSelf, CancellationToken cancellationToken)
    {
        var user = await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return (null, AdminResult.NotFound());
        }

        if (user.Id == actor.UserId)
        {
            return allowSelf ? (user, null) : (null, AdminResult.SelfChange("You cannot change your own roles or status."));
        }

        var targetRank = 0;
        foreach (var role in user.Roles)
        {
            targetRank = Math.Max(targetRank, await subjects.RankOfAsync(role.RoleName, cancellationToken) ?? 0);
        }

        return RoleHierarchy.MayManage(actor.Rank, targetRank)
            ? (user, null)
            : (null, AdminResult.Forbidden("You can manage only accounts ranked below your own."));
    }

    // The change and its audit entry commit together (IAuditLog.Stage): neither is ever stored without the other.
    private Task<int> SaveAsync(User user, IReadOnlyDictionary<string, object?> before, AuditEvent audited, CancellationToken cancellationToken)
    {
        audit.Stage(db, audited with { Changes = HttpAudit.Diff(before, Snapshot(user)) });
        return db.SaveChangesAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "User {ActorId} approved user {UserId} as {Role}", EventName = "RoleApproved")]
        public static partial void RoleApproved(ILogger logger, Guid actorId, Guid userId, string role);

        [LoggerMessage(2, LogLevel.Information, "User {ActorId} set the roles of user {UserId} to {Roles}", EventName = "RolesChanged")]
        public static partial void RolesChanged(ILogger logger, Guid actorId, Guid userId, string roles);

        [LoggerMessage(3, LogLevel.Information, "User {ActorId} set the status of user {UserId} to {Status}", EventName = "UserStatusChanged")]
        public static partial void StatusChanged(ILogger logger, Guid actorId, Guid userId, string status);
    }
}

/// <summary>The outcome of an administrative change.</summary>
public sealed record AdminResult(User? User, int Status, string? Detail, FieldErrors? Errors)
{
    /// <summary>The account as it was before the change, for the audit trail.</summary>
    public IReadOnlyDictionary<string, object?>? Before { get; init; }

    /// <summary>The problem code of a refusal, when it is more specific than its status's.</summary>
    public string? Code { get; init; }

    public static AdminResult Done(User user, IReadOnlyDictionary<string, object?> before) => new(user, 200, null, null) { Before = before };

    public static AdminResult NotFound() => new(null, 404, "No such user.", null);

    public static AdminResult Forbidden(string detail) => new(null, 403, detail, null);

    /// <summary>A refused change to the caller's own account (<c>self_change_refused</c>).</summary>
    public static AdminResult SelfChange(string detail) => new(null, 403, detail, null) { Code = Protection.ErrorCodes.SelfChangeRefused };

    public static AdminResult Conflict(string detail) => new(null, 409, detail, null);

    public static AdminResult Invalid(FieldErrors errors) => new(null, 400, null, errors);
}
