using System.Globalization;

namespace Bastion.FaultTests.Cluster;

/// <summary>POSIX signals for the processes the suite started, through kill(1) (Process.Kill only sends SIGKILL to children).</summary>
internal static class Signals
{
    public static Task TerminateAsync(int pid) => SendAsync(pid, "TERM");

    public static Task KillAsync(int pid) => SendAsync(pid, "KILL");

    private static async Task SendAsync(int pid, string signal)
    {
        var (exitCode, output) = await CommandLine.RunAsync("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid}: {output.Trim()}");
        }
    }
}
