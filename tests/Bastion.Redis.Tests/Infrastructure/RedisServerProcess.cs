using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bastion.Redis.Tests.Infrastructure;

/// <summary>
/// A real redis-server child process on a free loopback port, without persistence. Can be stopped (SIGKILL,
/// as a crash would) and started again on the same port to test reconnection.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(10);
    private readonly string _directory;
    private Process? _process;

    private RedisServerProcess(string? password)
    {
        Password = password;
        Port = FindFreePort();
        _directory = Directory.CreateTempSubdirectory("bastion-redis-test-").FullName;
    }

    public int Port { get; }

    public string? Password { get; }

    public static async Task<RedisServerProcess> StartAsync(string? password = null)
    {
        var server = new RedisServerProcess(password);
        await server.StartAsync();
        return server;
    }

    /// <summary>A configuration string for this server with the right password, plus any extra options.</summary>
    public string Configuration(string extraOptions = "")
    {
        string configuration = $"127.0.0.1:{Port}";
        if (Password is not null)
        {
            configuration += $",password={Password}";
        }

        return extraOptions.Length == 0 ? configuration : $"{configuration},{extraOptions}";
    }

    public RedisConnectionOptions Options(string extraOptions = "") => RedisConnectionOptions.Parse(Configuration(extraOptions));

    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("The server is already running.");
        }

        var startInfo = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", _directory,
            "--daemonize", "no",
            "--loglevel", "warning",
            "--enable-debug-command", "local",
        ];
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (Password is not null)
        {
            startInfo.ArgumentList.Add("--requirepass");
            startInfo.ArgumentList.Add(Password);
        }

        Process process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilAcceptingAsync(process);
    }

    /// <summary>Kills the server abruptly, like a crash or an OOM kill; connections see a reset or EOF.</summary>
    public async Task StopAsync()
    {
        Process? process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static int FindFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task WaitUntilAcceptingAsync(Process process)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} while starting on port {Port}.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (stopwatch.Elapsed < StartupTimeout)
            {
                await Task.Delay(10);
            }
        }
    }
}
