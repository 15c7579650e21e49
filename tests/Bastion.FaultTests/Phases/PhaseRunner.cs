using Bastion.FaultTests.Checks;
using Bastion.FaultTests.Cluster;
using Bastion.FaultTests.Load;

namespace Bastion.FaultTests.Phases;

/// <summary>
/// One phase under the steady load: prepare, revoke some tokens, a baseline, the fault, recovery, then the probes:
/// sessions and tokens that stopped working, and revoked tokens that work again on either node.
/// </summary>
internal sealed class PhaseRunner(TestCluster cluster, LoadBoard board, ProbeSet probes, RevokedTokens revoked, LoadShape shape, PhaseDurations durations)
{
    public async Task<PhaseResult> RunAsync(int index, FaultPhase phase, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"== Phase {index + 1}: {phase.Name} — {phase.Description}");
        var stats = new PhaseStats(phase.Name);
        var result = new PhaseResult(index, phase, stats);
        var started = RunClock.Now;
        board.Begin(index, stats);
        var context = new FaultContext(cluster, durations, cancellationToken);
        await phase.PrepareAsync(context);
        await probes.PrepareAsync(cancellationToken);
        await revoked.RevokeAsync(shape.RevokedPerPhase, cancellationToken);
        await Task.Delay(durations.Baseline, cancellationToken);

        var back = await phase.InjectAsync(context);
        await Task.Delay(durations.Recovery, cancellationToken);

        FaultContext.Say("checking probes and revoked tokens on both nodes");
        result.Probes = await probes.CheckAsync(cancellationToken);
        result.Revocation = await revoked.CheckAsync(cancellationToken);
        FaultContext.Say($"revoked tokens accepted: {string.Join(", ", cluster.Nodes.Select((n, i) => $"node {n.Name} {result.Revocation.AcceptedBy[i]}"))} of {result.Revocation.Checked}");
        result.RecoverySeconds = stats.LastFailureSentAt is { } last ? Math.Max(0, last - back) : 0;
        result.ResidentMebibytes = cluster.Nodes.Select(n => n.ResidentMebibytes()).ToList();
        result.Seconds = RunClock.Now - started;
        return result;
    }
}
