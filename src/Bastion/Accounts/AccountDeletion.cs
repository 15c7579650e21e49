using System.Security.Cryptography;
using Bastion.Accounts.Passwords;
using Bastion.Audit;
using Bastion.Email;
using Bastion.Storage;
using Bastion.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bastion.Accounts;

/// <summary>
/// Deleting one's own account by anonymising it (GDPR art. 17): the personal details, credentials and second
/// factors go; the row stays, disabled, under a placeholder address, so that records the user created and the
/// audit trail (append-only, by user id) still point at something. Every session and token ends, and the user's
/// audit key is shredded, so the personal fields of their audit entries become unreadable (see <c>AuditUserKeys</c>).
/// </summary>
public sealed partial class AccountDeletion(
    BastionDbContext db,
    IPasswordHasher hasher,
    TokenService tokens,
    Access.AccessSubjectStore subjects,
    IEmailOutbox outbox,
    EmailTemplates templates,
    TimeProvider time,
    ILogger<AccountDeletion> logger)
{
    /// <summary>False, changing nothing, when <paramref name="password"/> is not the account's password.</summary>
    public async Task<bool> DeleteAsync(HttpContext context, Guid userId, string? password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || string.IsNullOrEmpty(password) || hasher.Verify(password, user.PasswordHash) == PasswordVerification.Failed)
        {
            return false;
        }

        await EraseAsync(context, user, context.AuditEvent(AuditEventTypes.AccountDeleted, severity: AuditSeverity.Warning), cancellationToken);
        Log.Deleted(logger, user.Id);
        return true;
    }

    /// <summary>
    /// An administrator erases someone else's account: never their own, and only an account ranked below their own
    /// (stricter than other administrative changes, which allow an equal rank: erasure cannot be undone). The caller
    /// has passed a recent step-up. <paramref name="audited"/> names the account by id only; its personal fields are
    /// sealed under the actor's key, and what it holds about the erased user is shredded with the rest.
    /// </summary>
    internal async Task<Access.AdminResult> EraseByAdministratorAsync(HttpContext context, Access.AccessSubject actor, Guid userId, AuditEvent audited, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(actor);
        var user = await db.Users.Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return Access.AdminResult.NotFound();
        }

        if (user.Id == actor.UserId)
        {
            return Access.AdminResult.Forbidden("You cannot erase your own account here; delete it from your account settings.");
        }

        var targetRank = 0;
        foreach (var role in user.Roles)
        {
            targetRank = Math.Max(targetRank, await subjects.RankOfAsync(role.RoleName, cancellationToken) ?? 0);
        }

        if (targetRank >= actor.Rank)
        {
            return Access.AdminResult.Forbidden("You can only erase an account ranked below your own.");
        }

        var before = Access.UserAdministration.Snapshot(user);
        await EraseAsync(context, user, audited, cancellationToken);
        Log.Erased(logger, actor.UserId, user.Id);
        return Access.AdminResult.Done(user, before);
    }

    private async Task EraseAsync(HttpContext context, User user, AuditEvent audited, CancellationToken cancellationToken)
    {
        var (formerEmail, formerName) = (user.Email, user.FullName);
        var placeholder = $"deleted-{user.Id:N}@deleted.invalid";
        var now = time.GetUtcNow();
        user.Email = placeholder;
        user.NormalizedEmail = placeholder;
        user.FullName = "Deleted user";

        // A password nobody knows, hashed like any other, so the sign-in path needs no special case.
        user.PasswordHash = hasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        user.Status = UserStatus.Disabled;
        user.RequestedRole = null;
        user.Department = null;
        user.TotpSecret = null;
        user.EmailMfaEnabled = false;
        user.RecoveryCodes = null;
        user.MfaEnabledAt = null;
        user.EmailVerifiedAt = null;
        user.PendingEmail = null;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.UpdatedAt = now;
        user.Roles.Clear();

        // The anonymisation, the removal of mailed tokens, the revocation of every token family, the shredding of the
        // user's audit key and the audit entry commit together; sessions (in the state store) end before the commit,
        // which errs on the safe side. The entry is chained after the commit, so it finds the key already shredded and
        // stores the erased user's personal fields as "erased" rather than sealing them under a fresh key.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            context.StageAudit(db, audited with
            {
                EntityType = "user",
                EntityId = user.Id.ToString(),
            });
            await db.SaveChangesAsync(cancellationToken);
            await db.AccountTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
            await tokens.RevokeUserAsync(user.Id, "account_deleted", null, cancellationToken);
            await AuditUserKeys.ShredAsync(db, user.Id, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        context.RequestServices.GetService<AuditUserKeys>()?.Forget(user.Id);
        await subjects.InvalidateAsync(user.Id, cancellationToken);
        await outbox.EnqueueAsync(templates.SecurityNotice(formerEmail, formerName, SecurityNoticeKind.AccountDeleted, SecurityNoticeDetails.For(context, now)), db, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "User {UserId} deleted their account; its personal details were removed", EventName = "AccountDeleted")]
        public static partial void Deleted(ILogger logger, Guid userId);

        [LoggerMessage(2, LogLevel.Warning, "User {ActorId} erased the account of user {UserId}; its personal details were removed", EventName = "AccountErased")]
        public static partial void Erased(ILogger logger, Guid actorId, Guid userId);
    }
}
