namespace Bastion.FaultTests;

/// <summary>How long each part of a phase lasts, and how much load runs meanwhile.</summary>
/// <param name="Baseline">Load before the fault, to show the error rate of a healthy system.</param>
/// <param name="Outage">How long a killed dependency or node stays down.</param>
/// <param name="Recovery">Load after the dependency (or node) is back, before the checks.</param>
internal sealed record PhaseDurations(TimeSpan Baseline, TimeSpan Outage, TimeSpan Recovery)
{
    public static readonly PhaseDurations Short = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));

    public static readonly PhaseDurations Long = new(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(15));
}
