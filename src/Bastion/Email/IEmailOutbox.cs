namespace Bastion.Email;

/// <summary>
/// Queues messages for delivery in the background, with retries. Enqueuing never waits and never throws for a
/// delivery problem: the answer a user gets (for instance "if the address exists, a link is on its way") must not
/// depend on the mail server, neither in content nor in timing, or it would reveal which addresses exist (OWASP
/// Forgot Password Cheat Sheet: consistent message, consistent time).
/// </summary>
public interface IEmailOutbox
{
    /// <summary>Queues <paramref name="message"/>; false when the queue is full or shutting down (the drop is logged).</summary>
    bool Enqueue(EmailMessage message);
}
