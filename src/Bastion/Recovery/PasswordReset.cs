using System.Text.Json.Nodes;
using Bastion.Accounts;
using Bastion.Accounts.Passwords;
using Bastion.Audit;
using Bastion.Email;
using Bastion.Storage;
using Bastion.Tokens;
using Bastion.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Recovery;

/// <summary>
/// "Forgot password" as the API and the pages both do it (OWASP Forgot Password Cheat Sheet): a request answers the
/// same whether or not the account exists and mails a single-use link; redeeming the link sets a new password,
/// rotates the security stamp and ends every session and token of the account.
/// </summary>
public sealed partial class PasswordReset(
    BastionDbContext db,
    AccountTokens tokens,
    RecoveryMailLimits limits,
    AccountService accounts,
    IPasswordHasher hasher,
    TokenService sessions,
    Access.AccessSubjectStore subjects,
    IEmailOutbox outbox,
    EmailTemplates templates,
    IOptions<RecoveryOptions> options,
    TimeProvider time,
    ILogger<PasswordReset> logger)
{
    /// <summary>
    /// Mails a reset link when the address belongs to an account that is not disabled and has not had too many
    /// already. Errors only for an input that is not an address, which says nothing about any account; otherwise
    /// the caller answers the same, neutral way.
    /// </summary>
    public async Task<FieldErrors?> RequestAsync(HttpContext context, string? email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (EmailAddress.Validate(email) is { } error)
        {
            return new FieldErrors().Add("email", error);
        }

        var normalized = EmailAddress.Normalize(email!);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        var allowed = await limits.AllowResetMailAsync(normalized, cancellationToken);

        // A disabled account gets no link: a reset must not become a way around an administrator's decision.
        var refusal = user is null ? "unknown_account"
            : user.Status == UserStatus.Disabled ? "account_disabled"
            : !allowed ? "throttled"
            : null;

        // Either way one transaction commits: the token and its mail (for a known address) or nothing (for any other),
        // with the audit entry, so both cases cost one commit and the answer's timing does not tell them apart.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (refusal is null)
            {
                var lifetime = options.Value.PasswordResetLifetime;
                await tokens.IssueAndMailAsync(user!, AccountTokenPurpose.PasswordReset, lifetime,
                    token => templates.PasswordReset(user!.Email, user.FullName, token, lifetime), cancellationToken);
                Log.ResetMailed(logger, user!.Id);
            }
            else
            {
                // The same statements as the token's, so that no case reads or writes less.
                await tokens.DeleteNoneAsync(AccountTokenPurpose.PasswordReset, cancellationToken);
                Log.ResetNotMailed(logger, user?.Id, refusal);
            }

            // The administrator sees what really happened; the requester never does.
            context.StageAudit(db, context.AuditEvent(AuditEventTypes.PasswordResetRequested, refusal is null ? AuditOutcome.Success : AuditOutcome.Denied) with
            {
                EntityType = user is null ? null : "user",
                EntityId = user?.Id.ToString(),
                Details = new JsonObject { ["attemptedEmail"] = normalized, ["mailed"] = refusal is null, ["reason"] = refusal },
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return null;
    }

    /// <summary>
    /// Sets a new password with a reset token. The token is spent only when the password is acceptable, so a
    /// rejected password can be corrected with the same link.
    /// </summary>
    public async Task<PasswordResetResult> ResetAsync(HttpContext context, string? token, string? newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await tokens.FindAsync(token, AccountTokenPurpose.PasswordReset, cancellationToken) is not { } found)
        {
            return await RefusedAsync(context, null);
        }

        var (record, user) = found;

        var errors = accounts.EvaluateNewPassword(user, newPassword, out var evaluation);
        if (!errors.IsEmpty)
        {
            return PasswordResetResult.Invalid(errors, evaluation);
        }

        var passwordHash = hasher.Hash(newPassword!);
        if (!await ResetPasswordAsync(context, record, user, passwordHash, cancellationToken))
        {
            return await RefusedAsync(context, user.Id);
        }

        await subjects.InvalidateAsync(user.Id, cancellationToken);
        Log.PasswordReset(logger, user.Id);
        return PasswordResetResult.Reset;
    }

    /// <summary>
    /// Spends the token, sets the password, ends every session and token family, records the reset and queues the
    /// notice in one transaction: a failure part-way leaves the link usable and the password unchanged, and no reset
    /// is stored without its audit entry or with the families it was meant to end still alive.
    /// </summary>
    private async Task<bool> ResetPasswordAsync(HttpContext context, AccountToken record, User user, string passwordHash, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await tokens.ClaimAsync(record, cancellationToken) || !await SetPasswordAsync(user, record.SecurityStamp, passwordHash, cancellationToken))
        {
            return false;
        }

        context.StageAudit(db, context.AuditEvent(AuditEventTypes.PasswordReset, severity: AuditSeverity.Warning) with { UserId = user.Id });
        await db.SaveChangesAsync(cancellationToken);
        await outbox.EnqueueAsync(templates.SecurityNotice(user.Email, user.FullName, SecurityNoticeKind.PasswordChanged, SecurityNoticeDetails.For(context, time.GetUtcNow())), db, cancellationToken);

        // OWASP Forgot Password Cheat Sheet: after a reset, end every session and token; whoever held them may be
        // the reason for the reset. Nobody keeps theirs, not even the browser that reset. (Sessions, in the state
        // store, end before the commit: a failure then errs on the safe side.)
        await sessions.RevokeUserAsync(user.Id, "password_reset", null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Sets the password only while the stamp is still the one the token was issued under (a concurrent change
    /// wins), rotates it, and marks the address verified: the link proved that its owner reads mail there.
    /// </summary>
    private async Task<bool> SetPasswordAsync(User user, string stamp, string passwordHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var newStamp = Guid.NewGuid().ToString("N");
        var updated = await db.Users
            .Where(u => u.Id == user.Id && u.SecurityStamp == stamp)
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.PasswordHash, passwordHash)
                .SetProperty(u => u.SecurityStamp, newStamp)
                .SetProperty(u => u.UpdatedAt, now)
                .SetProperty(u => u.EmailVerifiedAt, u => u.EmailVerifiedAt ?? now), cancellationToken);
        return updated == 1;
    }

    private static async Task<PasswordResetResult> RefusedAsync(HttpContext context, Guid? userId)
    {
        await context.AuditAsync(context.AuditEvent(AuditEventTypes.PasswordReset, AuditOutcome.Failure, AuditSeverity.Warning) with
        {
            UserId = userId,
            Details = new JsonObject { ["reason"] = "invalid_token" },
        });
        return PasswordResetResult.TokenInvalid;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Mailed a password reset link to user {UserId}", EventName = "PasswordResetMailed")]
        public static partial void ResetMailed(ILogger logger, Guid userId);

        [LoggerMessage(2, LogLevel.Information, "Password reset requested; no link sent ({Reason}, user {UserId})", EventName = "PasswordResetNotMailed")]
        public static partial void ResetNotMailed(ILogger logger, Guid? userId, string reason);

        [LoggerMessage(3, LogLevel.Warning, "User {UserId} reset their password; every session and token of the account ended", EventName = "PasswordReset")]
        public static partial void PasswordReset(ILogger logger, Guid userId);
    }
}

/// <summary>The outcome of <see cref="PasswordReset.ResetAsync"/>.</summary>
/// <param name="Succeeded">The password was set.</param>
/// <param name="Errors">The new password's policy failures (the token is still good).</param>
/// <param name="Password">The policy's evaluation of the new password, when it was evaluated.</param>
public sealed record PasswordResetResult(bool Succeeded, FieldErrors? Errors, PasswordEvaluation? Password)
{
    public static PasswordResetResult Reset { get; } = new(true, null, null);

    /// <summary>Unknown, expired, spent or withdrawn: one answer for all, so nothing about the token leaks.</summary>
    public static PasswordResetResult TokenInvalid { get; } = new(false, null, null);

    public static PasswordResetResult Invalid(FieldErrors errors, PasswordEvaluation? password) => new(false, errors, password);
}
