namespace Bastion.FaultTests;

/// <summary>The command line: <c>--short</c> (CI) or <c>--long</c> (the figures in docs/RELIABILITY.md), and where to write the Markdown report.</summary>
internal sealed record RunOptions(bool Short, string? ReportPath)
{
    public const string Usage = "Usage: Bastion.FaultTests [--short | --long] [--report <file.md>]";

    public PhaseDurations Durations => Short ? PhaseDurations.Short : PhaseDurations.Long;

    public static RunOptions? Parse(IReadOnlyList<string> args)
    {
        var isShort = false;
        string? report = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--short":
                    isShort = true;
                    break;
                case "--long":
                    isShort = false;
                    break;
                case "--report" when i + 1 < args.Count:
                    report = args[++i];
                    break;
                default:
                    return null;
            }
        }

        return new RunOptions(isShort, report);
    }
}
