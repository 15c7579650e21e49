using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bastion.Tests.Uploads;

/// <summary>
/// A real clamd (Debian's clamav-daemon) in the foreground, on a Unix socket and a loopback TCP port, with a
/// signature database of its own: one body signature (.ndb, clamav signatures(5)) for the EICAR test file, so no
/// network and no freshclam download are needed. It loads in about a second.
/// </summary>
public sealed class ClamdProcess : IAsyncLifetime
{
    public const string SignatureName = "Bastion.Test.EICAR";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] ClamdLocations = ["/usr/sbin/clamd", "/usr/bin/clamd", "/usr/local/sbin/clamd"];
    private Process? _process;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("bastion-clamd-test-").FullName;

    public string SocketPath => Path.Combine(Directory, "clamd.sock");

    public int Port { get; } = FreePort();

    public async Task InitializeAsync()
    {
        var clamd = ClamdLocations.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("clamd is not installed. Run scripts/test.sh, which installs Debian's clamav-daemon, or: apt-get install clamav-daemon");

        var database = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "db")).FullName;
        await File.WriteAllTextAsync(Path.Combine(database, "bastion-test.ndb"), $"{SignatureName}:0:*:{Convert.ToHexStringLower(SampleFiles.Eicar())}\n");
        var configuration = Path.Combine(Directory, "clamd.conf");
        await File.WriteAllTextAsync(configuration, string.Join('\n',
            "Foreground yes",
            $"DatabaseDirectory {database}",
            $"LocalSocket {SocketPath}",
            "TCPAddr 127.0.0.1",
            string.Create(CultureInfo.InvariantCulture, $"TCPSocket {Port}"),
            $"TemporaryDirectory {Directory}",
            $"LogFile {Path.Combine(Directory, "clamd.log")}",
            "StreamMaxLength 20M",
            string.Empty));

        var startInfo = new ProcessStartInfo(clamd) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("--config-file=" + configuration);
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("clamd did not start.");
        var output = new StringBuilder();
        _process.OutputDataReceived += (_, e) => output.AppendLine(e.Data);
        _process.ErrorDataReceived += (_, e) => output.AppendLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync(output);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task WaitUntilReadyAsync(StringBuilder output)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"clamd exited with code {_process.ExitCode} while starting: {output}");
            }

            try
            {
                using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await probe.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (started.Elapsed < StartupTimeout)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
