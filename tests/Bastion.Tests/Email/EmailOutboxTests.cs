using System.Net.Mail;
using System.Text;
using Bastion.Email;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Email;

public sealed class EmailOutboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly CollectingLogger<EmailOutboxWorker> _logger = new();

    [Fact]
    public async Task Enqueue_SenderFailsTwiceThenSucceeds_DeliversOnceAndDeletesTheRow()
    {
        var sender = new ScriptedEmailSender(attempt => attempt <= 2 ? new SmtpException(SmtpStatusCode.ServiceNotAvailable, "try later") : null);
        await using var outbox = await StartAsync(sender);

        await outbox.EnqueueAsync(Message());
        await outbox.DrainAsync();

        Assert.Equal(3, sender.Attempts);
        Assert.Single(sender.Delivered);
        Assert.Equal(2, _logger.Entries.Count(e => e.EventName == "EmailRetrying"));
        Assert.Contains(_logger.Entries, e => e.EventName == "EmailSent" && e.Message.Contains("attempt 3", StringComparison.Ordinal));
        Assert.Empty(await outbox.RowsAsync());
    }

    [Fact]
    public async Task Enqueue_TransientFailureEveryTime_MarksTheRowFailedAfterTheRetriesAndLogsAnError()
    {
        var sender = new ScriptedEmailSender(_ => new IOException("connection reset"));
        await using var outbox = await StartAsync(sender, o => o.Retries = 2);

        await outbox.EnqueueAsync(Message());
        await outbox.DrainAsync();

        Assert.Equal(3, sender.Attempts);
        var failed = Assert.Single(_logger.Entries, e => e.EventName == "EmailFailed");
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Contains("IOException: connection reset", failed.Message, StringComparison.Ordinal);
        var row = Assert.Single(await outbox.RowsAsync());
        Assert.Equal((3, true, (long?)null), (row.Attempts, row.FailedAt is not null, row.LockedUntil));
        Assert.Contains("connection reset", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_PermanentRefusal_IsNotRetried()
    {
        var sender = new ScriptedEmailSender(_ => new SmtpFailedRecipientException(SmtpStatusCode.MailboxUnavailable, "<alice@example.com>"));
        await using var outbox = await StartAsync(sender);

        await outbox.EnqueueAsync(Message("alice@example.com"));
        await outbox.DrainAsync();

        Assert.Equal(1, sender.Attempts);
        var failed = Assert.Single(_logger.Entries, e => e.EventName == "EmailFailed");
        Assert.Contains("a***@example.com", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("alice@", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("alice@", Assert.Single(await outbox.RowsAsync()).LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_UnreachableSmtpServer_NeverThrowsToTheCallerAndLogsTheFailure()
    {
        var to = "carol.smith@example.com";
        var options = EmailTestOptions.PlainSmtp("127.0.0.1", SmtpFixtureProcess.FreePort(), o => o.Retries = 1);
        await using var outbox = await TestOutbox.CreateAsync(new SmtpEmailSender(options), options, _logger);
        var templates = new EmailTemplates(options);

        await outbox.EnqueueAsync(templates.PasswordReset(to, "Carol", "reset-token-0123456789", TimeSpan.FromMinutes(30)));
        await outbox.DrainAsync();

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
        await outbox.EnqueueAsync(Message());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1));

        release.SetResult();
        await outbox.DrainAsync();
        Assert.Equal(1, sender.Sent);
    }

    [Fact]
    public async Task Enqueue_StoresSubjectBodiesAndNameSealed_TheRecipientReadable()
    {
        await using var outbox = await StartAsync(new ScriptedEmailSender(_ => null), start: false);
        var templates = new EmailTemplates(Options.Create(EmailTestOptions.Create()));

        await outbox.EnqueueAsync(templates.PasswordReset("dave@example.com", "Dave Secretname", "reset-token-0123456789", TimeSpan.FromMinutes(30)));

        var row = Assert.Single(await outbox.RowsAsync());
        Assert.Equal(("dave@example.com", "password_reset"), (row.Recipient, row.Category));
        var stored = Encoding.UTF8.GetString(row.Content);
        Assert.DoesNotContain("reset-token-0123456789", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Reset your", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Secretname", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_RowRedirectedToAnotherAddressInTheTable_IsMarkedFailedAndNeverSent()
    {
        var sender = new ScriptedEmailSender(_ => null);
        await using var outbox = await StartAsync(sender, start: false);
        await outbox.EnqueueAsync(Message("victim@example.com"));
        await outbox.ExecuteAsync("UPDATE email_outbox SET recipient = 'attacker@example.net'");

        await outbox.Worker.StartAsync(CancellationToken.None);
        await outbox.DrainAsync();

        Assert.Equal(0, sender.Attempts);
        Assert.NotNull(Assert.Single(await outbox.RowsAsync()).FailedAt);
        Assert.Single(_logger.Entries, e => e.EventName == "EmailFailed");
    }

    [Fact]
    public async Task Enqueue_WithNoWorkerRunning_IsSentByTheNextOneToStart()
    {
        var sender = new ScriptedEmailSender(_ => null);
        await using var outbox = await StartAsync(sender, start: false);
        await outbox.EnqueueAsync(Message("kept@example.com"));

        await outbox.Worker.StartAsync(CancellationToken.None);
        await outbox.DrainAsync();

        Assert.Equal("kept@example.com", Assert.Single(sender.Delivered).To);
        Assert.Empty(await outbox.RowsAsync());
    }

    [Fact]
    public async Task Enqueue_InATransactionThatRollsBack_IsNeverSent()
    {
        var sender = new ScriptedEmailSender(_ => null);
        await using var outbox = await StartAsync(sender);
        await using var db = outbox.NewContext();

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await outbox.Outbox.EnqueueAsync(Message("rolled-back@example.com"), db);
            await transaction.RollbackAsync();
        }

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await outbox.Outbox.EnqueueAsync(Message("committed@example.com"), db);
            await transaction.CommitAsync();
        }

        await outbox.DrainAsync();
        Assert.Equal("committed@example.com", Assert.Single(sender.Delivered).To);
    }

    [Fact]
    public async Task Claim_RowLeasedByANodeThatDied_IsSentAgainOnceTheLeaseEnds()
    {
        var sender = new ScriptedEmailSender(_ => null);
        await using var outbox = await StartAsync(sender, start: false);
        await outbox.EnqueueAsync(Message("orphan@example.com"));
        var now = DateTimeOffset.UtcNow;
        Assert.Single(await outbox.Table.ClaimAsync(10, now, now.AddMilliseconds(300), CancellationToken.None));

        Assert.Empty(await outbox.Table.ClaimAsync(10, now.AddMilliseconds(100), now.AddSeconds(60), CancellationToken.None));
        await Task.Delay(400);
        await outbox.Worker.StartAsync(CancellationToken.None);
        await outbox.DrainAsync();

        Assert.Equal("orphan@example.com", Assert.Single(sender.Delivered).To);
        Assert.Contains(_logger.Entries, e => e.EventName == "EmailSent" && e.Message.Contains("attempt 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Claim_TwoNodesTogether_EachMessageSentOnce()
    {
        var first = new ScriptedEmailSender(_ => null);
        var second = new ScriptedEmailSender(_ => null);
        var options = Options.Create(EmailTestOptions.Create(o => o.BatchSize = 3));
        await using var outbox = await TestOutbox.CreateAsync(first, options, _logger, start: false);
        var other = await outbox.AddNodeAsync(second, options, _logger, start: false);
        var recipients = Enumerable.Range(0, 40).Select(i => EmailTestOptions.UniqueRecipient($"r{i}")).ToList();
        foreach (var to in recipients)
        {
            await outbox.EnqueueAsync(Message(to));
        }

        await Task.WhenAll(outbox.Worker.StartAsync(CancellationToken.None), other.StartAsync(CancellationToken.None));
        await Task.WhenAll(outbox.DrainAsync(), other.DrainAsync().WaitAsync(Patience));

        var delivered = first.Delivered.Concat(second.Delivered).Select(m => m.To).ToList();
        Assert.Equal(recipients.Order(), delivered.Order());
        Assert.Empty(await outbox.RowsAsync());
    }

    [Fact]
    public async Task Stop_WithASendInProgress_LetsItFinish()
    {
        var release = new TaskCompletionSource();
        var sender = new BlockingEmailSender(release.Task);
        await using var outbox = await StartAsync(sender);
        await outbox.EnqueueAsync(Message());
        await WaitUntilAsync(async () => (await outbox.RowsAsync()).Single().LockedUntil is not null);

        var stopping = outbox.Worker.StopAsync(CancellationToken.None);
        release.SetResult();
        await stopping.WaitAsync(Patience);

        Assert.Equal(1, sender.Sent);
        Assert.Empty(await outbox.RowsAsync());
    }

    [Fact]
    public async Task Stop_WhenTheHostStopsWaiting_ReleasesTheRowsItWasSending()
    {
        var sender = new BlockingEmailSender(new TaskCompletionSource().Task);
        await using var outbox = await StartAsync(sender);
        await outbox.EnqueueAsync(Message());
        await outbox.EnqueueAsync(Message());
        await WaitUntilAsync(async () => (await outbox.RowsAsync()).All(r => r.LockedUntil is not null));

        await outbox.Worker.StopAsync(new CancellationToken(canceled: true)).WaitAsync(Patience);

        Assert.Equal(0, sender.Sent);
        Assert.Equal(2, _logger.Entries.Count(e => e.EventName == "EmailReleased"));
        Assert.All(await outbox.RowsAsync(), row => Assert.Equal((0, (long?)null, (long?)null), (row.Attempts, row.LockedUntil, row.FailedAt)));
        Assert.True(outbox.Worker.DrainAsync().IsCompleted);
    }

    [Fact]
    public async Task Start_FailedRowsOlderThanTheRetention_AreDeleted()
    {
        await using var outbox = await StartAsync(new ScriptedEmailSender(_ => new IOException("down")), o => o.Retries = 0, start: false);
        await outbox.EnqueueAsync(Message("old@example.com"));
        await outbox.EnqueueAsync(Message("recent@example.com"));
        var old = DateTimeOffset.UtcNow.AddDays(-8).ToUnixTimeMilliseconds();
        var recent = DateTimeOffset.UtcNow.AddDays(-6).ToUnixTimeMilliseconds();
        await outbox.ExecuteAsync($"UPDATE email_outbox SET failed_at = CASE recipient WHEN 'old@example.com' THEN {old} ELSE {recent} END");

        await outbox.Worker.StartAsync(CancellationToken.None);
        await outbox.DrainAsync();

        Assert.Equal("recent@example.com", Assert.Single(await outbox.RowsAsync()).Recipient);
        Assert.Single(_logger.Entries, e => e.EventName == "EmailFailedPurged");
    }

    [Fact]
    public async Task Drain_WithNothingQueued_Completes()
    {
        await using var outbox = await StartAsync(new ScriptedEmailSender(_ => null));

        await outbox.DrainAsync();
    }

    private async Task<TestOutbox> StartAsync(IEmailSender sender, Action<EmailOptions>? configure = null, bool start = true)
        => await TestOutbox.CreateAsync(sender, Options.Create(EmailTestOptions.Create(configure)), _logger, start);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(20);
        }
    }

    private static EmailMessage Message(string? to = null) => new(to ?? EmailTestOptions.UniqueRecipient(), "Subject", "body") { Category = "test" };
}
