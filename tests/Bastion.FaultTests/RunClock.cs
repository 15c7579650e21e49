using System.Diagnostics;

namespace Bastion.FaultTests;

/// <summary>Seconds since the run started, on the monotonic clock: every timestamp the suite compares comes from here.</summary>
internal static class RunClock
{
    private static readonly Stopwatch Watch = Stopwatch.StartNew();

    public static double Now => Watch.Elapsed.TotalSeconds;
}
