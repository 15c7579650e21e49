using System.Data.Common;
using System.Text.Json.Nodes;
using Bastion.Audit;
using Bastion.Email;
using Bastion.Protection;
using Bastion.Storage;
using Bastion.Tokens;
using Bastion.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Recovery;

/// <summary>What asking to change the address found.</summary>
public enum EmailChangeOutcome
{
    /// <summary>A link is on its way to the new address.</summary>
    Sent,
    Invalid,
    Taken,
    Throttled,
}

/// <summary>The outcome of <see cref="EmailChange.RequestAsync"/>.</summary>
public sealed record EmailChangeResult(EmailChangeOutcome Outcome, FieldErrors? Errors = null, TimeSpan? RetryAfter = null);

/// <summary>
/// Moving an account to another e-mail address. The address is the sign-in name and where recovery links go, so
/// the change needs a recent full authentication (the endpoint's step-up), takes effect only when a link mailed to
/// the new address is opened (the new owner proves they read it), and the old address is told afterwards, so a
/// hijacker cannot move the account away silently (OWASP ASVS 5.0 §6.3.7 notifications).
/// </summary>
public sealed partial class EmailChange(
    BastionDbContext db,
    AccountTokens tokens,
    RecoveryMailLimits limits,
    TokenService sessions,
    Access.AccessSubjectStore subjects,
    IEmailOutbox outbox,
    EmailTemplates templates,
    IOptions<RecoveryOptions> options,
    TimeProvider time,
    ILogger<EmailChange> logger)
{
    public async Task<EmailChangeResult> RequestAsync(HttpContext context, Guid userId, string? newEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (EmailAddress.Validate(newEmail) is { } error)
        {
            return new EmailChangeResult(EmailChangeOutcome.Invalid, new FieldErrors().Add("newEmail", error));
        }

        var user = await db.Users.FirstAsync(u => u.Id == userId, cancellationToken);
        var normalized = EmailAddress.Normalize(newEmail!);
        if (normalized == user.NormalizedEmail)
        {
            return new EmailChangeResult(EmailChangeOutcome.Invalid, new FieldErrors().Add("newEmail", "This is already the account's address."));
        }

        // A signed-in, recently re-authenticated user may learn that an address is taken, as registration tells anyone.
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            return new EmailChangeResult(EmailChangeOutcome.Taken);
        }

        if (await limits.EmailChangeMailWaitAsync(user.Id, cancellationToken) is { } wait)
        {
            return new EmailChangeResult(EmailChangeOutcome.Throttled, RetryAfter: wait);
        }

        // The pending address, its token, the link to it and the notice to the current address commit together.
        await using (var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null)
        {
            var pending = newEmail!.Trim();
            user.PendingEmail = pending;
            user.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            var lifetime = options.Value.EmailVerificationLifetime;
            await tokens.IssueAndMailAsync(user, AccountTokenPurpose.EmailChange, lifetime,
                token => templates.EmailChange(pending, user.FullName, token, lifetime), cancellationToken);

            // The current address hears of it now, not only once it is too late to object.
            await outbox.EnqueueAsync(templates.SecurityNotice(user.Email, user.FullName, SecurityNoticeKind.EmailChangeRequested, SecurityNoticeDetails.For(context, time.GetUtcNow())), db, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        await context.AuditAsync(context.AuditEvent(AuditEventTypes.EmailChangeRequested, severity: AuditSeverity.Warning) with
        {
            EntityType = "user",
            EntityId = user.Id.ToString(),
            Details = new JsonObject { ["newEmail"] = normalized },
        });
        Log.Requested(logger, user.Id);
        return new EmailChangeResult(EmailChangeOutcome.Sent);
    }

    /// <summary>
    /// Spends an e-mail change token and moves the account to the pending address; false for any token that is not
    /// good, or when the address was taken meanwhile. Every session and token of the account ends: they carry the
    /// old address, and the next sign-in uses the new one.
    /// </summary>
    public async Task<bool> ConfirmAsync(HttpContext context, string? token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await tokens.FindAsync(token, AccountTokenPurpose.EmailChange, cancellationToken) is not { } found
            || found.User.PendingEmail is not { } pending)
        {
            return false;
        }

        var old = found.User;
        var now = time.GetUtcNow();
        var normalized = EmailAddress.Normalize(pending);

        // Spending the token, moving the address, the audit entry, the notice to the old address and the end of every
        // token family commit together or not at all.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await tokens.ClaimAsync(found.Token, cancellationToken) || !await MoveAddressAsync(old.Id, pending, normalized, now, cancellationToken))
            {
                return false;
            }

            context.StageAudit(db, context.AuditEvent(AuditEventTypes.EmailChanged, severity: AuditSeverity.Warning) with
            {
                UserId = old.Id,
                EntityType = "user",
                EntityId = old.Id.ToString(),
                Changes = new Dictionary<string, (object? Old, object? New)> { ["email"] = (old.NormalizedEmail, normalized) },
            });
            await db.SaveChangesAsync(cancellationToken);
            await outbox.EnqueueAsync(templates.SecurityNotice(old.Email, old.FullName, SecurityNoticeKind.EmailChanged, SecurityNoticeDetails.For(context, now)), db, cancellationToken);

            // The families end with the change, not after it: a failure in between would otherwise leave them alive.
            await sessions.RevokeUserAsync(old.Id, "email_changed", null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await subjects.InvalidateAsync(old.Id, cancellationToken);
        Log.Changed(logger, old.Id);
        return true;
    }

    // Moves the account to the pending address while it is still the pending one; false when it changed meanwhile
    // or another account took the address (the unique index).
    private async Task<bool> MoveAddressAsync(Guid userId, string pending, string normalized, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var changed = await db.Users
                .Where(u => u.Id == userId && u.PendingEmail == pending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.Email, pending)
                    .SetProperty(u => u.NormalizedEmail, normalized)
                    .SetProperty(u => u.EmailVerifiedAt, now)
                    .SetProperty(u => u.PendingEmail, (string?)null)

                    // A new stamp withdraws whatever was mailed to the old address (a reset link) and pending sign-ins.
                    .SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N"))
                    .SetProperty(u => u.UpdatedAt, now), cancellationToken);
            return changed == 1;
        }
        catch (DbException exception) when (!DependencyFailure.IsTransient(exception))
        {
            // The unique index: someone registered the address between the request and now. (An outage is not
            // a refusal: it leaves as 503 and the link stays valid for a retry.)
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "User {UserId} asked to change their e-mail address; a link was mailed to the new one", EventName = "EmailChangeRequested")]
        public static partial void Requested(ILogger logger, Guid userId);

        [LoggerMessage(2, LogLevel.Warning, "User {UserId} changed their e-mail address", EventName = "EmailChanged")]
        public static partial void Changed(ILogger logger, Guid userId);
    }
}
