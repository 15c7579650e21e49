using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bastion.Email;

/// <summary>
/// Writes queued messages to the <c>email_outbox</c> table, sealed (<see cref="OutboxContent"/>), and wakes this
/// node's <see cref="EmailOutboxWorker"/>, which sends them.
/// </summary>
internal sealed class EmailOutbox(OutboxTable table, OutboxContent content, EmailOutboxWorker worker, TimeProvider time) : IEmailOutbox
{
    public async Task EnqueueAsync(EmailMessage message, DbContext? database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sealedContent = content.Seal(message);
        var now = time.GetUtcNow();
        if (database is null)
        {
            await using var connection = await table.OpenAsync(cancellationToken);
            await table.InsertAsync(connection, null, message.To, message.Category, sealedContent, now, cancellationToken);
            worker.Wake();
            return;
        }

        var transaction = database.Database.CurrentTransaction?.GetDbTransaction();
        await database.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await table.InsertAsync(database.Database.GetDbConnection(), transaction, message.To, message.Category, sealedContent, now, cancellationToken);
        }
        finally
        {
            await database.Database.CloseConnectionAsync();
        }

        worker.Wake(afterCommit: transaction is not null);
    }
}
