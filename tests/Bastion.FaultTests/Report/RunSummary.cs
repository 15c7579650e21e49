using Bastion.FaultTests.Phases;

namespace Bastion.FaultTests.Report;

/// <summary>The whole run: each phase's result and the surviving node's memory from start to end.</summary>
internal sealed record RunSummary(
    string Form,
    IReadOnlyList<PhaseResult> Phases,
    double? SurvivorMebibytesAtStart,
    double? SurvivorMebibytesAtEnd,
    double Seconds)
{
    public IReadOnlyList<(PhaseResult Result, Metric Metric)> Missed => Metrics.Missed(Phases).ToList();

    public string MemoryLine => SurvivorMebibytesAtStart is { } start && SurvivorMebibytesAtEnd is { } end
        ? FormattableString.Invariant($"Node A (never restarted) resident memory: {start:0} MiB after set-up, {end:0} MiB at the end ({end - start:+0;-0;0} MiB, {(end - start) / start:+0%;-0%;0%}).")
        : "Node A's resident memory could not be read.";

    /// <summary>Each phase's 5xx answers by status and problem code, e.g. "503 service_unavailable ×12".</summary>
    public static string ServerErrorsLine(PhaseResult result) => result.Stats.ServerErrors.Count == 0
        ? "none"
        : string.Join(", ", result.Stats.ServerErrors.Select(e => $"{e.Key} ×{e.Value}"));
}
