using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Bastion.Email;
using Bastion.Tests.Email;

namespace Bastion.IntegrationTests.Recovery;

/// <summary>
/// A test's own server whose mail goes over SMTP to a real catcher (maildev, one per test class), with a clock the
/// test moves and every log entry captured.
/// </summary>
public abstract partial class MailingHost(SmtpCatcher catcher) : IClassFixture<SmtpCatcher>, IAsyncLifetime
{
    public const string ResetSubject = "Reset your Bastion password";
    public const string VerifySubject = "Confirm your e-mail address for Bastion";
    public const string NoticeSubject = "Your Bastion password was changed";
    public const string CodeSubject = "Your Bastion sign-in code";

    private protected SmtpCatcher Catcher { get; } = catcher;

    private protected TestHost Host { get; private set; } = null!;

    private protected ManualTimeProvider Time { get; } = new();

    private protected CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Settings on top of the bootstrap administrator's and the catcher's.</summary>
    private protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(Actors.BootstrapSettings)
        {
            ["Bastion:Email:Smtp:Host"] = Catcher.Host,
            ["Bastion:Email:Smtp:Port"] = Catcher.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Bastion:Email:Smtp:UseStartTls"] = "false",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        Host = await TestHost.StartAsync(settings, configure: builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(Time);

            // Everything, from every category, at every level: a token in any log line is found.
            builder.Logging.SetMinimumLevel(LogLevel.Trace).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
            builder.Logging.AddProvider(Logs);
        });
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private protected static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    /// <summary>Registers <paramref name="email"/> through the API and returns its id.</summary>
    private protected async Task<Guid> RegisterAsync(string email)
    {
        using var client = Host.CreateClient();
        return (await client.RegisterAsync(email)).GetProperty("id").GetGuid();
    }

    private protected async Task<HttpResponseMessage> ForgotAsync(string email)
    {
        using var client = Host.CreateClient();
        return await client.PostJsonAsync("/api/auth/password/forgot", new { email });
    }

    private protected async Task<HttpResponseMessage> ResetAsync(string token, string newPassword)
    {
        using var client = Host.CreateClient();
        return await client.PostJsonAsync("/api/auth/password/reset", new { token, newPassword });
    }

    /// <summary>Waits until every queued message has been handed to the catcher.</summary>
    private protected Task DrainOutboxAsync() => Host.Services.GetRequiredService<EmailOutboxWorker>().DrainAsync();

    /// <summary>Waits for the <paramref name="count"/>th message with <paramref name="subject"/> to <paramref name="recipient"/> and returns its token.</summary>
    private protected async Task<string> MailedTokenAsync(string recipient, string subject, int count = 1)
    {
        var mails = await MailsAsync(recipient, subject, count);
        var match = TokenInLink().Match(mails[count - 1].Text ?? string.Empty);
        Assert.True(match.Success, "The message carries no link with a token.");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    /// <summary>Waits for the <paramref name="count"/>th sign-in code mailed to <paramref name="email"/> and returns the code.</summary>
    private protected async Task<string> MailedCodeAsync(string email, int count)
    {
        var mails = await MailsAsync(email, CodeSubject, count);
        var match = CodeInText().Match(mails[count - 1].Text ?? string.Empty);
        Assert.True(match.Success, "The message carries no code.");
        return match.Groups[1].Value;
    }

    /// <summary>The messages with <paramref name="subject"/> to <paramref name="recipient"/>, once there are at least <paramref name="atLeast"/>.</summary>
    private protected async Task<IReadOnlyList<CaughtEmail>> MailsAsync(string recipient, string subject, int atLeast = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await DrainOutboxAsync();
            var mails = (await Catcher.EmailsToAsync(recipient)).Where(m => m.Subject == subject).ToList();
            if (mails.Count >= atLeast)
            {
                return mails;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Expected {atLeast} message(s) '{subject}' to {recipient}, got {mails.Count}.");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"\?token=([A-Za-z0-9_%-]+)")]
    private static partial Regex TokenInLink();

    [GeneratedRegex(@"code is: (\d{6})")]
    private static partial Regex CodeInText();
}
