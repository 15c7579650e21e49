using System.Net.Mail;
using Bastion.Email;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Email;

public sealed class EmailOutboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly CollectingLogger<EmailOutbox> _logger = new();

    [Fact]
    public async Task Enqueue_SenderFailsTwiceThenSucceeds_DeliversOnce()
    {
        var sender = new ScriptedEmailSender(attempt => attempt <= 2 ? new SmtpException(SmtpStatusCode.ServiceNotAvailable, "try later") : null);
        await using var outbox = await StartAsync(sender);

        Assert.True(outbox.Enqueue(Message()));
        await outbox.DrainAsync().WaitAsync(Patience);

        Assert.Equal(3, sender.Attempts);
        Assert.Single(sender.Delivered);
        Assert.Equal(2, _logger.Entries.Count(e => e.EventName == "EmailRetrying"));
        Assert.Contains(_logger.Entries, e => e.EventName == "EmailSent" && e.Message.Contains("attempt 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enqueue_TransientFailureEveryTime_GivesUpAfterTheRetriesAndLogsAnError()
    {
        var sender = new ScriptedEmailSender(_ => new IOException("connection reset"));
        await using var outbox = await StartAsync(sender, o => o.Retries = 2);

        outbox.Enqueue(Message());
        await outbox.DrainAsync().WaitAsync(Patience);

        Assert.Equal(3, sender.Attempts);
        var failed = Assert.Single(_logger.Entries, e => e.EventName == "EmailFailed");
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Contains("IOException: connection reset", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_PermanentRefusal_IsNotRetried()
    {
        var sender = new ScriptedEmailSender(_ => new SmtpFailedRecipientException(SmtpStatusCode.MailboxUnavailable, "<alice@example.com>"));
        await using var outbox = await StartAsync(sender);

        outbox.Enqueue(Message("alice@example.com"));
        await outbox.DrainAsync().WaitAsync(Patience);

        Assert.Equal(1, sender.Attempts);
        var failed = Assert.Single(_logger.Entries, e => e.EventName == "EmailFailed");
        Assert.Contains("a***@example.com", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("alice@", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_UnreachableSmtpServer_NeverThrowsToTheCallerAndLogsTheFailure()
    {
        var to = "carol.smith@example.com";
        var options = EmailTestOptions.PlainSmtp("127.0.0.1", SmtpFixtureProcess.FreePort(), o => o.Retries = 1);
        await using var outbox = new EmailOutbox(new SmtpEmailSender(options), options, TimeProvider.System, _logger);
        await outbox.StartAsync(CancellationToken.None);
        var templates = new EmailTemplates(options);

        var queued = outbox.Enqueue(templates.PasswordReset(to, "Carol", "reset-token-0123456789", TimeSpan.FromMinutes(30)));
        await outbox.DrainAsync().WaitAsync(Patience);

        Assert.True(queued);
        Assert.Single(_logger.Entries, e => e.EventName == "EmailRetrying");
        var failed = Assert.Single(_logger.Entries, e => e.EventName == "EmailFailed");
        Assert.Contains("password_reset to c***@example.com", failed.Message, StringComparison.Ordinal);
        Assert.All(_logger.Entries, e =>
        {
            Assert.DoesNotContain(to, e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("reset-token-0123456789", e.Message, StringComparison.Ordinal);
            Assert.Null(e.Exception);
        });
    }

    [Fact]
    public async Task Enqueue_SlowSender_ReturnsAtOnce()
    {
        var release = new TaskCompletionSource();
        var sender = new BlockingEmailSender(release.Task);
        await using var outbox = await StartAsync(sender);

        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(outbox.Enqueue(Message()));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1));

        release.SetResult();
        await outbox.DrainAsync().WaitAsync(Patience);
        Assert.Equal(1, sender.Sent);
    }

    [Fact]
    public async Task Enqueue_QueueFull_DropsTheMessageAndSaysSo()
    {
        var release = new TaskCompletionSource();
        var sender = new BlockingEmailSender(release.Task);
        await using var outbox = new EmailOutbox(sender, Options.Create(EmailTestOptions.Create(o => o.QueueCapacity = 1)), TimeProvider.System, _logger);

        Assert.True(outbox.Enqueue(Message()));
        Assert.False(outbox.Enqueue(Message("bob@example.com")));

        var dropped = Assert.Single(_logger.Entries, e => e.EventName == "EmailDropped");
        Assert.Contains("b***@example.com", dropped.Message, StringComparison.Ordinal);
        await outbox.StartAsync(CancellationToken.None);
        release.SetResult();
        await outbox.DrainAsync().WaitAsync(Patience);
        Assert.Equal(1, sender.Sent);
    }

    [Fact]
    public async Task Stop_WithMessagesQueued_DeliversThemBeforeStopping()
    {
        var sender = new ScriptedEmailSender(_ => null);
        var outbox = await StartAsync(sender);
        for (var i = 0; i < 20; i++)
        {
            outbox.Enqueue(Message());
        }

        await outbox.StopAsync(CancellationToken.None);

        Assert.Equal(20, sender.Delivered.Count);
        Assert.False(outbox.Enqueue(Message()));
        await outbox.DisposeAsync();
    }

    [Fact]
    public async Task Stop_WhenTheHostStopsWaiting_AbandonsWhatIsInFlightAndLogsIt()
    {
        var sender = new BlockingEmailSender(new TaskCompletionSource().Task);
        await using var outbox = await StartAsync(sender);
        outbox.Enqueue(Message());
        outbox.Enqueue(Message());

        await outbox.StopAsync(new CancellationToken(canceled: true)).WaitAsync(Patience);

        Assert.Equal(0, sender.Sent);
        Assert.Equal(2, _logger.Entries.Count(e => e.EventName == "EmailAbandoned"));
        Assert.True(outbox.DrainAsync().IsCompleted);
    }

    [Fact]
    public async Task Drain_WithNothingQueued_CompletesAtOnce()
    {
        await using var outbox = await StartAsync(new ScriptedEmailSender(_ => null));

        Assert.True(outbox.DrainAsync().IsCompleted);
    }

    [Fact]
    public void RetryDelay_DoublesWithJitter()
    {
        var outbox = new EmailOutbox(new ScriptedEmailSender(_ => null), Options.Create(EmailTestOptions.Create(o => o.RetryDelay = TimeSpan.FromSeconds(10))), TimeProvider.System, _logger);

        Assert.InRange(outbox.RetryDelay(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        Assert.InRange(outbox.RetryDelay(3), TimeSpan.FromSeconds(32), TimeSpan.FromSeconds(48));
    }

    private async Task<EmailOutbox> StartAsync(IEmailSender sender, Action<EmailOptions>? configure = null)
    {
        var outbox = new EmailOutbox(sender, Options.Create(EmailTestOptions.Create(configure)), TimeProvider.System, _logger);
        await outbox.StartAsync(CancellationToken.None);
        return outbox;
    }

    private static EmailMessage Message(string? to = null) => new(to ?? EmailTestOptions.UniqueRecipient(), "Subject", "body") { Category = "test" };
}
