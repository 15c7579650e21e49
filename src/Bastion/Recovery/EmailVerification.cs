using Bastion.Audit;
using Bastion.Email;
using Bastion.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Recovery;

/// <summary>
/// Proof that an account's owner reads mail at its address: a single-use link sent at registration
/// and on request. Verification only records the fact; whether sign-in needs it is
/// <see cref="RecoveryOptions.RequireVerifiedEmail"/>.
/// </summary>
public sealed partial class EmailVerification(
    BastionDbContext db,
    AccountTokens tokens,
    EmailChange changes,
    Access.AccessSubjectStore subjects,
    RecoveryMailLimits limits,
    EmailTemplates templates,
    IOptions<RecoveryOptions> options,
    TimeProvider time,
    ILogger<EmailVerification> logger)
{
    /// <summary>What a correct password for an unverified account is answered with, when verification is required.</summary>
    public const string UnverifiedMessage =
        "Confirm your e-mail address with the link sent to it before signing in. To get a new link, use \"Forgot your password?\": completing it confirms the address too.";

    /// <summary>Mails a verification link to a newly registered account.</summary>
    public async Task SendAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.EmailVerifiedAt is null && await limits.VerificationMailWaitAsync(user.Id, cancellationToken) is null)
        {
            await MailAsync(user, cancellationToken);
        }
    }

    /// <summary>
    /// Mails a new link to a signed-in user whose address is not verified yet (nothing for a verified one). Returns
    /// null when done, or how long to wait: at most one mail a minute and a few a day.
    /// </summary>
    public async Task<TimeSpan?> ResendAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || user.EmailVerifiedAt is not null)
        {
            return null;
        }

        if (await limits.VerificationMailWaitAsync(user.Id, cancellationToken) is { } wait)
        {
            return wait;
        }

        await MailAsync(user, cancellationToken);
        return null;
    }

    /// <summary>
    /// Spends a verification token and marks the address verified, or, for a link sent to a new address, moves the
    /// account there (<see cref="EmailChange.ConfirmAsync"/>); false for any token that is not good.
    /// </summary>
    public async Task<bool> VerifyAsync(HttpContext context, string? token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await tokens.FindAsync(token, AccountTokenPurpose.EmailVerification, cancellationToken) is not { } found)
        {
            return await changes.ConfirmAsync(context, token, cancellationToken);
        }

        var now = time.GetUtcNow();
        var userId = found.User.Id;

        // Spending the token, the verification and its audit entry commit together or not at all.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await tokens.ClaimAsync(found.Token, cancellationToken))
            {
                return false;
            }

            await db.Users.Where(u => u.Id == userId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailVerifiedAt, u => u.EmailVerifiedAt ?? now), cancellationToken);
            context.StageAudit(db, context.AuditEvent(AuditEventTypes.EmailVerified) with { UserId = userId });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await subjects.InvalidateAsync(userId, cancellationToken);
        Log.Verified(logger, userId);
        return true;
    }

    private async Task MailAsync(User user, CancellationToken cancellationToken)
    {
        var lifetime = options.Value.EmailVerificationLifetime;
        await tokens.IssueAndMailAsync(user, AccountTokenPurpose.EmailVerification, lifetime,
            token => templates.EmailVerification(user.Email, user.FullName, token, lifetime), cancellationToken);
        Log.Mailed(logger, user.Id);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Mailed an address verification link to user {UserId}", EventName = "VerificationMailed")]
        public static partial void Mailed(ILogger logger, Guid userId);

        [LoggerMessage(2, LogLevel.Information, "User {UserId} verified their e-mail address", EventName = "EmailVerified")]
        public static partial void Verified(ILogger logger, Guid userId);
    }
}
