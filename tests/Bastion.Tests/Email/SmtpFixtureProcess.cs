using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Bastion.Tests.Email;

/// <summary>Starts the node programs of tests/fixtures/smtp (installed with <c>npm ci --prefix tests/fixtures/smtp</c>).</summary>
internal sealed class SmtpFixtureProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SmtpFixtureProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string FixtureDirectory { get; } = Locate();

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Runs <c>node &lt;script&gt; &lt;arguments&gt;</c> in the fixture directory.</summary>
    public static SmtpFixtureProcess Start(string script, params string[] arguments)
    {
        var path = Path.Combine(FixtureDirectory, script);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing. Install the SMTP fixture with: npm ci --prefix tests/fixtures/smtp (scripts/test.sh does it).");
        }

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = FixtureDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            return new SmtpFixtureProcess(Process.Start(startInfo) ?? throw new InvalidOperationException("node did not start."));
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("node is not installed (apt-get install nodejs npm).", exception);
        }
    }

    /// <summary>Waits until <paramref name="ready"/> holds; false when the process exits first (a port taken meanwhile, say).</summary>
    public async Task<bool> WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                return false;
            }

            if (await ready())
            {
                return true;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The SMTP fixture was not ready within {timeout.TotalSeconds} s: {Output}");
    }

    public static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "/" })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tests", "fixtures", "smtp");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException("tests/fixtures/smtp was not found above the test assembly or its sources.");
    }
}
