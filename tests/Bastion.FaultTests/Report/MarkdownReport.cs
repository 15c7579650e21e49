using System.Globalization;
using System.Text;

namespace Bastion.FaultTests.Report;

/// <summary>The run as Markdown for docs/RELIABILITY.md: a table per phase with each goal and whether it was met.</summary>
internal static class MarkdownReport
{
    public static string Render(RunSummary summary)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run of {DateTimeOffset.UtcNow:yyyy-MM-dd}, {summary.Form} form, {summary.Seconds:0} s. {summary.MemoryLine}").AppendLine();
        foreach (var result in summary.Phases)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### {result.Index + 1}. {result.Phase.Name}").AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{result.Phase.Description}.").AppendLine();
            text.AppendLine("| measure | value | goal | |").AppendLine("|---|---:|---|---|");
            foreach (var metric in Metrics.All)
            {
                var goal = metric.GoalFor(result.Phase);
                var mark = goal == "—" ? string.Empty : metric.Meets(result) ? "✓" : "✗";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {metric.Name} | {metric.Show(result)} | {goal} | {mark} |");
            }

            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"5xx by status and code: {RunSummary.ServerErrorsLine(result)}.").AppendLine();
        }

        var missed = summary.Missed;
        text.AppendLine(missed.Count == 0 ? "All goals met." : $"{missed.Count} goal(s) missed:").AppendLine();
        foreach (var (result, metric) in missed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {result.Phase.Name}: {metric.Name} = {metric.Show(result)} (goal {metric.Goal!.Text})");
        }

        return text.ToString();
    }
}
