using Bastion.FaultTests.Cluster;

namespace Bastion.FaultTests.Phases;

/// <summary>What a fault acts on, and how long it keeps things broken.</summary>
internal sealed record FaultContext(TestCluster Cluster, PhaseDurations Durations, CancellationToken CancellationToken)
{
    public static void Say(string message) => Console.Error.WriteLine($"   [{RunClock.Now,7:0.0}s] {message}");

    /// <summary>Restarts the node that faults kill (SIGTERM, then a fresh start), as an operator would after an incident.</summary>
    public async Task RestartVictimAsync()
    {
        Say($"SIGTERM node {Cluster.Victim.Name} and start it again");
        await Cluster.Victim.TerminateAsync();
        await Cluster.Victim.StartAsync(Cluster.Http, CancellationToken);
        Say($"node {Cluster.Victim.Name} ready");
    }

    public Task OutageAsync() => Task.Delay(Durations.Outage, CancellationToken);
}
