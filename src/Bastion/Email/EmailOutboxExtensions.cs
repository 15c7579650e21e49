namespace Bastion.Email;

/// <summary>The outbox for callers that hold no database context and cannot await.</summary>
public static class EmailOutboxExtensions
{
    /// <summary>
    /// Writes <paramref name="message"/> to the outbox on a connection of its own and blocks until it is committed;
    /// true once it is. A failed write throws, so that the caller can retry. For background work only (the audit
    /// alert sink): a request handler awaits <see cref="IEmailOutbox.EnqueueAsync"/> with its context instead.
    /// </summary>
    public static bool Enqueue(this IEmailOutbox outbox, EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        outbox.EnqueueAsync(message, database: null, CancellationToken.None).GetAwaiter().GetResult();
        return true;
    }
}
