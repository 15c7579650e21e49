using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bastion.Storage;

/// <summary>
/// Turns off EF Core's automatic savepoint around a <c>SaveChanges</c> inside an explicit transaction. Bastion never
/// recovers part of a transaction: a failure rolls the whole of it back. So the savepoint would cost two round trips
/// on every such save (measured on refresh, docs/BENCHMARKS.md goal 7) and buy nothing.
/// </summary>
internal sealed class NoSavepointsInterceptor : SaveChangesInterceptor
{
    public static NoSavepointsInterceptor Instance { get; } = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Disable(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Disable(eventData);
        return ValueTask.FromResult(result);
    }

    // Set on every save: a pooled context is reset to EF Core's default when it goes back to the pool.
    private static void Disable(DbContextEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context)
        {
            context.Database.AutoSavepointsEnabled = false;
        }
    }
}
