using System.Diagnostics;
using System.Globalization;

namespace Bastion.FaultTests.Cluster;

/// <summary>
/// One Bastion.Server process (the Release build, ASPNETCORE_ENVIRONMENT=Production) on its own port and data
/// directory. Its output goes to a log file and its pid to a file, so scripts/faults.sh can stop it even when the
/// driver itself dies.
/// </summary>
internal sealed class NodeProcess(string name, Uri address, string serverDll, string workDirectory, IReadOnlyDictionary<string, string> settings)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private Process? _process;

    public string Name => name;

    public Uri Address => address;

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    private string PidFile => Path.Combine(workDirectory, "pids", $"node-{name}.pid");

    private string LogFile => Path.Combine(workDirectory, $"node-{name}.log");

    public async Task StartAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = Path.GetDirectoryName(serverDll)! };
        // exec: the pid is the server's own, and its output goes straight to the log file.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$0\" >>\"$FAULTS_NODE_LOG\" 2>&1");
        start.ArgumentList.Add(serverDll);
        start.Environment["FAULTS_NODE_LOG"] = LogFile;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        await File.AppendAllTextAsync(LogFile, $"---- start at {DateTimeOffset.UtcNow:O}\n", cancellationToken);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start node {name}.");
        Directory.CreateDirectory(Path.GetDirectoryName(PidFile)!);
        await File.WriteAllTextAsync(PidFile, _process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
        await WaitUntilReadyAsync(http, cancellationToken);
    }

    /// <summary>SIGKILL: the node dies mid-request, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a node; SIGKILL after <see cref="StopTimeout"/>.</summary>
    public async Task TerminateAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        await Signals.TerminateAsync(process.Id);
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"   node {name} did not stop within {StopTimeout.TotalSeconds:0} s of SIGTERM; killing it");
            await KillAsync();
        }
    }

    /// <summary>The resident set size in MiB (VmRSS in /proc/&lt;pid&gt;/status), or null when not running.</summary>
    public double? ResidentMebibytes()
    {
        if (Pid is not { } pid)
        {
            return null;
        }

        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task WaitUntilReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout && !_process!.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(address, "/health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A request timed out while the node was starting.
            }

            await Task.Delay(100, cancellationToken);
        }

        var tail = string.Join('\n', File.ReadLines(LogFile).TakeLast(30));
        throw new InvalidOperationException($"Node {name} did not become ready within {StartTimeout.TotalSeconds:0} s (see {LogFile}):\n{tail}");
    }
}
