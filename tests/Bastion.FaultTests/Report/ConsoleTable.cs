using System.Globalization;
using System.Text;

namespace Bastion.FaultTests.Report;

/// <summary>The run as one matrix on standard output: a column per phase, a row per measure, ✗ where a goal was missed.</summary>
internal static class ConsoleTable
{
    private const int LabelWidth = 34;
    private const int GoalWidth = 8;

    public static string Render(RunSummary summary)
    {
        var columnWidth = Math.Max(10, summary.Phases.Max(p => p.Phase.Name.Length) + 2);
        var text = new StringBuilder();
        text.Append("measure".PadRight(LabelWidth)).Append("goal".PadRight(GoalWidth));
        foreach (var result in summary.Phases)
        {
            text.Append(result.Phase.Name.PadLeft(columnWidth));
        }

        text.AppendLine();
        foreach (var metric in Metrics.All)
        {
            text.Append(metric.Name.PadRight(LabelWidth)).Append((metric.Goal?.Text ?? string.Empty).PadRight(GoalWidth));
            foreach (var result in summary.Phases)
            {
                var cell = metric.Show(result) + (metric.Meets(result) ? " " : "✗");
                text.Append(cell.PadLeft(columnWidth));
            }

            text.AppendLine();
        }

        text.AppendLine().AppendLine("5xx by status and code:");
        foreach (var result in summary.Phases)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Phase.Name}: {RunSummary.ServerErrorsLine(result)}");
        }

        text.AppendLine().AppendLine(summary.MemoryLine);
        var missed = summary.Missed;
        text.AppendLine(missed.Count == 0
            ? $"All goals met ({summary.Form} form, {summary.Seconds:0} s)."
            : $"{missed.Count} goal(s) missed ({summary.Form} form, {summary.Seconds:0} s):");
        foreach (var (result, metric) in missed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  ✗ {result.Phase.Name}: {metric.Name} = {metric.Show(result)} (goal {metric.Goal!.Text})");
        }

        return text.ToString();
    }
}
