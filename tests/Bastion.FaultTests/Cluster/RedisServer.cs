using System.Diagnostics;
using System.Globalization;

namespace Bastion.FaultTests.Cluster;

/// <summary>
/// The Redis that scripts/faults.sh started: killed, restarted with or without an append-only file, flushed. The
/// password travels in the configuration on standard input and in REDISCLI_AUTH, never on a command line.
/// </summary>
internal sealed class RedisServer(FaultEnvironment environment)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    public string ConnectionString => $"127.0.0.1:{environment.RedisPort},password={environment.RedisPassword}";

    private string PidFile => Path.Combine(environment.RedisDirectory, "redis.pid");

    /// <summary>SIGKILL: whatever was not persisted is gone.</summary>
    public async Task KillAsync()
    {
        var pid = int.Parse((await File.ReadAllTextAsync(PidFile)).Trim(), CultureInfo.InvariantCulture);
        await Signals.KillAsync(pid);
        var deadline = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && deadline.Elapsed < CommandTimeout)
        {
            await Task.Delay(20);
        }

        File.Delete(PidFile);
    }

    /// <summary>Starts redis-server again on the same port; with <paramref name="appendOnly"/> it replays its AOF.</summary>
    public async Task StartAsync(bool appendOnly)
    {
        var configuration = string.Join('\n',
            $"port {environment.RedisPort}", "bind 127.0.0.1", $"requirepass {environment.RedisPassword}", "save \"\"",
            $"appendonly {(appendOnly ? "yes" : "no")}", "daemonize yes", $"pidfile {PidFile}",
            $"logfile {Path.Combine(environment.RedisDirectory, "redis.log")}", $"dir {environment.RedisDirectory}") + "\n";
        var (exitCode, output) = await CommandLine.RunAsync("redis-server", ["-"], CommandTimeout, configuration);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"redis-server did not start: {output}");
        }

        await WaitUntilReadyAsync();
    }

    /// <summary>Turns the append-only file on in the running server and waits until it holds the whole data set.</summary>
    public async Task EnableAppendOnlyAsync()
    {
        await CommandAsync("CONFIG", "SET", "appendonly", "yes");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            var info = await CommandAsync("INFO", "persistence");
            if (info.Contains("aof_enabled:1", StringComparison.Ordinal) && info.Contains("aof_rewrite_in_progress:0", StringComparison.Ordinal)
                && info.Contains("aof_rewrite_scheduled:0", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Redis did not finish writing its append-only file.");
    }

    public Task FlushAllAsync() => CommandAsync("FLUSHALL");

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            try
            {
                // While it loads an AOF, Redis answers LOADING; PONG means it serves data.
                if ((await CommandAsync("PING")).Contains("PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (InvalidOperationException)
            {
                // Not accepting connections yet.
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("Redis did not answer PING after its restart.");
    }

    private async Task<string> CommandAsync(params string[] command)
    {
        var (exitCode, output) = await CommandLine.RunAsync(
            "redis-cli", ["-h", "127.0.0.1", "-p", environment.RedisPort.ToString(CultureInfo.InvariantCulture), .. command], CommandTimeout,
            environment: new Dictionary<string, string> { ["REDISCLI_AUTH"] = environment.RedisPassword });
        if (exitCode != 0 || output.StartsWith("ERR", StringComparison.Ordinal) || output.Contains("Could not connect", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli {command[0]}: {output.Trim()}");
        }

        return output;
    }
}
