using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Bastion.Tests.Email;

/// <summary>
/// A real SMTP server that keeps what it receives: maildev (tests/fixtures/smtp), on free loopback ports, read
/// through its REST API (<c>GET /email</c>). Tests sharing one catcher keep apart by sending to addresses of their own.
/// </summary>
public class SmtpCatcher : IAsyncLifetime
{
    private const string Script = "node_modules/maildev/bin/maildev";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private readonly string? _userName;
    private readonly string? _password;
    private readonly string _mailDirectory = Directory.CreateTempSubdirectory("bastion-maildev-").FullName;
    private SmtpFixtureProcess? _process;
    private HttpClient? _api;

    public SmtpCatcher()
    {
    }

    /// <summary>A catcher that requires SMTP authentication (AUTH PLAIN/LOGIN) with these credentials.</summary>
    protected SmtpCatcher(string userName, string password)
    {
        _userName = userName;
        _password = password;
    }

    public string Host { get; } = "127.0.0.1";

    public int SmtpPort { get; private set; }

    public int WebPort { get; private set; }

    public async Task InitializeAsync()
    {
        // A port found free can be taken before maildev binds it; then maildev exits and another pair is tried.
        for (var attempt = 1; ; attempt++)
        {
            SmtpPort = SmtpFixtureProcess.FreePort();
            WebPort = SmtpFixtureProcess.FreePort();
            var arguments = new List<string>
            {
                "--smtp", SmtpPort.ToString(CultureInfo.InvariantCulture), "--web", WebPort.ToString(CultureInfo.InvariantCulture),
                "--ip", Host, "--web-ip", Host, "--mail-directory", _mailDirectory,
            };
            if (_userName is not null)
            {
                arguments.AddRange(["--incoming-user", _userName, "--incoming-pass", _password!]);
            }

            _process = SmtpFixtureProcess.Start(Script, [.. arguments]);
            _api?.Dispose();
            _api = new HttpClient { BaseAddress = new Uri($"http://{Host}:{WebPort}/"), Timeout = TimeSpan.FromSeconds(10) };
            if (await _process.WaitUntilAsync(IsReadyAsync, StartupTimeout))
            {
                return;
            }

            var output = _process.Output;
            await _process.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"maildev did not start: {output}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        _api?.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        Directory.Delete(_mailDirectory, recursive: true);
    }

    public async Task<IReadOnlyList<CaughtEmail>> GetEmailsAsync()
    {
        using var document = await Api.GetFromJsonAsync<JsonDocument>("email");
        return document!.RootElement.EnumerateArray().Select(CaughtEmail.FromMaildev).ToList();
    }

    /// <summary>Waits for the first message to <paramref name="recipient"/> (the catcher stores a message just after accepting it).</summary>
    public async Task<CaughtEmail> WaitForEmailToAsync(string recipient, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var found = (await GetEmailsAsync()).FirstOrDefault(e => e.To.Contains(recipient, StringComparer.OrdinalIgnoreCase));
            if (found is not null)
            {
                return found;
            }

            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"No e-mail to {recipient} arrived.");
            }

            await Task.Delay(50);
        }
    }

    public async Task<IReadOnlyList<CaughtEmail>> EmailsToAsync(string recipient)
        => (await GetEmailsAsync()).Where(e => e.To.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// Hands a stored message (an .eml file's content) to the catcher over SMTP, for <paramref name="envelopeTo"/>,
    /// so that a real MIME parser reads it. Lines starting with a dot are stuffed (RFC 5321 §4.5.2).
    /// </summary>
    public async Task SubmitRawAsync(string message, string envelopeTo)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, SmtpPort);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\r\n", AutoFlush = true };
        await ExpectAsync(reader, "220");
        foreach (var (command, reply) in new[] { ("EHLO bastion.test", "250"), ("MAIL FROM:<replay@bastion.test>", "250"), ($"RCPT TO:<{envelopeTo}>", "250"), ("DATA", "354") })
        {
            await writer.WriteLineAsync(command);
            await ExpectAsync(reader, reply);
        }

        foreach (var line in message.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            await writer.WriteLineAsync(line.StartsWith('.') ? "." + line : line);
        }

        await writer.WriteLineAsync(".");
        await ExpectAsync(reader, "250");
        await writer.WriteLineAsync("QUIT");
    }

    private HttpClient Api => _api ?? throw new InvalidOperationException("The catcher has not started.");

    private async Task<bool> IsReadyAsync()
    {
        if (!await SmtpFixtureProcess.AcceptsConnectionsAsync(SmtpPort))
        {
            return false;
        }

        try
        {
            using var response = await Api.GetAsync(new Uri("email", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task ExpectAsync(StreamReader reader, string code)
    {
        // A multi-line reply continues while the fourth character is '-' (RFC 5321 §4.2.1).
        string? line;
        do
        {
            line = await reader.ReadLineAsync() ?? throw new IOException("The SMTP server closed the connection.");
        }
        while (line.Length > 3 && line[3] == '-');

        if (!line.StartsWith(code, StringComparison.Ordinal))
        {
            throw new IOException($"Expected SMTP {code}, got: {line}");
        }
    }
}

/// <summary>The maildev catcher requiring authentication as <see cref="UserName"/>.</summary>
public sealed class AuthenticatingSmtpCatcher() : SmtpCatcher(UserName, Password)
{
    public const string UserName = "bastion-mailer";
    public const string Password = "catcher-password-4f1c";
}
