namespace Bastion.Audit;

/// <summary>The audit log's writer and alerts (<c>Bastion:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>The most entries committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// How long the writer waits for more entries after the first of a batch; zero commits only what has already
    /// queued. A lone write waits this long before its commit.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How many entries may wait for the writer; beyond it, writers wait for room.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Where critical events are sent (<c>Bastion:Audit:Alerts</c>).</summary>
    public AuditAlertOptions Alerts { get; } = new();
}
