namespace Bastion.Audit;

/// <summary>The audit log's writer and alerts (<c>Bastion:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The most entries committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// How long the writer waits for more entries after the first of a batch; zero (the default) commits what has
    /// queued at once. Batches still form without a window: entries that arrive while one commit is in flight make
    /// the next one (group commit), so a window only delays lone writes (measured in docs/BENCHMARKS.md).
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.Zero;

    /// <summary>How many entries may wait for the writer; beyond it, writers wait for room.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// How often each node chains audit entries left in the outbox by a writer that stopped between committing a
    /// change and chaining its entry (a crash, a database blip). Normally entries are chained right after their commit.
    /// </summary>
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where critical events are sent (<c>Bastion:Audit:Alerts</c>).</summary>
    public AuditAlertOptions Alerts { get; } = new();
}
