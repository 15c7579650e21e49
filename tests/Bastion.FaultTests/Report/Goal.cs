using Bastion.FaultTests.Phases;

namespace Bastion.FaultTests.Report;

/// <summary>A target from issue 11 for one measure: where it applies, and the largest value that meets it.</summary>
/// <param name="Text">As the report states it, e.g. "= 0" or "&lt; 1 s".</param>
internal sealed record Goal(string Text, Func<FaultPhase, bool> AppliesTo, Func<double, bool> IsMet)
{
    public static Goal Zero(Func<FaultPhase, bool>? appliesTo = null) => new("= 0", appliesTo ?? (_ => true), v => v == 0);

    public static Goal Below(double limit, string unit, Func<FaultPhase, bool>? appliesTo = null)
        => new($"< {limit} {unit}", appliesTo ?? (_ => true), v => v < limit);
}

/// <summary>One row of the tables: a measure, how it is read from a phase's result, and its goal if it has one.</summary>
internal sealed record Metric(string Name, Func<PhaseResult, double> Value, Goal? Goal = null, string Format = "0")
{
    public string Show(PhaseResult result) => Value(result).ToString(Format, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>False when the measure has a goal for this phase and misses it.</summary>
    public bool Meets(PhaseResult result) => Goal is null || !Goal.AppliesTo(result.Phase) || Goal.IsMet(Value(result));

    public string GoalFor(FaultPhase phase) => Goal is not null && Goal.AppliesTo(phase) ? Goal.Text : "—";
}
