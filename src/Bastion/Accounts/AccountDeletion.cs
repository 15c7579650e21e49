using System.Security.Cryptography;
using Bastion.Accounts.Passwords;
using Bastion.Audit;
using Bastion.Email;
using Bastion.Storage;
using Bastion.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bastion.Accounts;

/// <summary>
/// Deleting one's own account by anonymising it (GDPR art. 17): the personal details, credentials and second
/// factors go; the row stays, disabled, under a placeholder address, so that records the user created and the
/// audit trail (append-only, by user id) still point at something. Every session and token ends.
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

        // The anonymisation, the removal of mailed tokens, the revocation of every token family and the audit entry
        // commit together; sessions (in the state store) end before the commit, which errs on the safe side.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            context.StageAudit(db, context.AuditEvent(AuditEventTypes.AccountDeleted, severity: AuditSeverity.Warning) with
            {
                EntityType = "user",
                EntityId = user.Id.ToString(),
            });
            await db.SaveChangesAsync(cancellationToken);
            await db.AccountTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
            await tokens.RevokeUserAsync(user.Id, "account_deleted", null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await subjects.InvalidateAsync(user.Id, cancellationToken);
        await outbox.EnqueueAsync(templates.SecurityNotice(formerEmail, formerName, SecurityNoticeKind.AccountDeleted, SecurityNoticeDetails.For(context, now)), db, cancellationToken);
        Log.Deleted(logger, user.Id);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "User {UserId} deleted their account; its personal details were removed", EventName = "AccountDeleted")]
        public static partial void Deleted(ILogger logger, Guid userId);
    }
}
