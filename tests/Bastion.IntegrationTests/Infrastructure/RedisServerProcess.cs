using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>
/// A redis-server of the test's own, with append-only persistence (or, when asked, none at all), that the test can
/// stop and restart.
/// </summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bastion-tests", "redis-" + Guid.NewGuid().ToString("N"));
    private readonly string _password = Guid.NewGuid().ToString("N");
    private readonly bool _persistent;
    private Process? _process;

    public RedisServerProcess(bool persistent = true)
    {
        _persistent = persistent;
        Directory.CreateDirectory(_directory);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port},password={_password},connectTimeout=2000,syncTimeout=2000";

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--requirepass", _password, "--dir", _directory, "--appendonly", _persistent ? "yes" : "no", "--appendfsync", "always", "--save", "",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException("redis-server did not start listening.");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
