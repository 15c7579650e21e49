using Microsoft.EntityFrameworkCore;

namespace Bastion.Email;

/// <summary>
/// Queues messages for delivery in the background, with retries, in the database (the <c>email_outbox</c> table), so
/// that a queued message survives a crash or a restart and is sent by whichever node gets to it first. Enqueuing
/// never waits for the mail server and never fails for a delivery problem: the answer a user gets (for instance "if
/// the address exists, a link is on its way") must not depend on the mail server, neither in content nor in timing,
/// or it would reveal which addresses exist (OWASP Forgot Password Cheat Sheet: consistent message, consistent time).
/// </summary>
public interface IEmailOutbox
{
    /// <summary>
    /// Writes <paramref name="message"/> to the outbox. With <paramref name="database"/> the row is written on that
    /// context's connection and inside its current transaction, if one is open: the message then goes out only if
    /// that transaction commits, and a crash cannot leave, say, a reset token without its mail. Without a
    /// transaction (or with no context) the row is committed before the task completes. Throws only when the
    /// database cannot be written.
    /// </summary>
    Task EnqueueAsync(EmailMessage message, DbContext? database, CancellationToken cancellationToken = default);
}
