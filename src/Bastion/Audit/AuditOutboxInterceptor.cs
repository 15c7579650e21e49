using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bastion.Audit;

/// <summary>
/// Chains staged audit entries (<see cref="IAuditLog.Stage"/>) as soon as the transaction that wrote them has
/// committed: after <c>SaveChanges</c> when it committed on its own, after the explicit transaction's commit
/// otherwise. So an entry is in the chain by the time the request answers, and reading the audit log right after a
/// change shows it. Added to every Bastion context through <c>UseBastionDatabase</c>.
/// </summary>
internal sealed class AuditOutboxInterceptor(AuditLog log) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && log.TakeStaged(context))
        {
            await log.ChainStagedAsync(cancellationToken);
        }

        return result;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && log.TakeStaged(context))
        {
            log.ChainStagedAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && log.TakeStaged(context))
        {
            await log.ChainStagedAsync(cancellationToken);
        }
    }

    public async Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context)
        {
            // Nothing of the transaction is stored, its entries included: there is nothing to chain.
            log.TakeStaged(context);
        }

        await Task.CompletedTask;
    }
}
