using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Email;

/// <summary>
/// Sends what the <c>email_outbox</c> table holds, on every node. A pass claims due rows with a lease (at most
/// <see cref="EmailOptions.BatchSize"/> in flight per node), sends each through <see cref="IEmailSender"/>, deletes it
/// once the mail server accepted it, reschedules it with exponential backoff and jitter after a transient failure,
/// and marks it failed after a permanent one or when the retries are spent. A pass runs at once when this node
/// queues a message, when a send ends, when the earliest retry falls due, and every
/// <see cref="EmailOptions.PollInterval"/> for rows other nodes queued or left behind.
/// Delivery is at least once: a node that dies mid-send leaves its lease to run out and the row is sent again, so
/// a crash between the server's acceptance and the delete sends the message twice — never zero times.
/// </summary>
internal sealed partial class EmailOutboxWorker : IHostedService, IAsyncDisposable
{
    // A message queued inside a transaction becomes visible when that commits; until then the worker looks again
    // after 50 ms, 100 ms, … up to the poll interval.
    private static readonly TimeSpan FirstQuickLook = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly OutboxTable _table;
    private readonly OutboxContent _content;
    private readonly IEmailSender _sender;
    private readonly EmailOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EmailOutboxWorker> _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _abortSends = new();
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly Lock _gate = new();
    private readonly List<(long Pass, TaskCompletionSource Done)> _drains = [];
    private long _passesStarted;
    private TimeSpan? _quickLook;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;
    private Task? _loop;
    private bool _stopped;

    public EmailOutboxWorker(OutboxTable table, OutboxContent content, IEmailSender sender, IOptions<EmailOptions> options, TimeProvider time, ILogger<EmailOutboxWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _table = table;
        _content = content;
        _sender = sender;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long shutdown lets sends in progress finish before cutting them short and releasing their rows.</summary>
    internal TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Runs a pass now; <paramref name="afterCommit"/>: the row appears only when the caller's transaction commits.</summary>
    public void Wake(bool afterCommit = false)
    {
        if (afterCommit)
        {
            lock (_gate)
            {
                _quickLook = FirstQuickLook;
            }
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Completes when this node has nothing in flight and no row that nobody holds is due now or later: everything
    /// queued before the call has been sent, given up on, or is being sent by another node. At once when stopped.
    /// </summary>
    internal Task DrainAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_stopped || _loop is null)
            {
                return Task.CompletedTask;
            }

            // Only a pass that starts after this call can have seen what was queued before it.
            _drains.Add((_passesStarted + 1, done));
        }

        Wake();
        return done.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _loop ??= Task.Run(RunAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops claiming, lets sends in progress finish for <see cref="ShutdownGrace"/> (or until the host stops
    /// waiting), then cuts the rest short and releases their rows, so that another node sends them at once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            foreach (var (_, done) in _drains)
            {
                done.TrySetResult();
            }

            _drains.Clear();
        }

        await _stopClaiming.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        var sends = Task.WhenAll(_inFlight.Values);
        using var graceEnds = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (await Task.WhenAny(sends, Task.Delay(ShutdownGrace, _time, graceEnds.Token)) != sends)
        {
            await _abortSends.CancelAsync();
        }

        await graceEnds.CancelAsync();
        await sends;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopClaiming.Dispose();
        _abortSends.Dispose();
    }

    private async Task RunAsync()
    {
        var stopping = _stopClaiming.Token;
        while (!stopping.IsCancellationRequested)
        {
            long pass;
            lock (_gate)
            {
                pass = ++_passesStarted;
            }

            TimeSpan wait;
            try
            {
                wait = await PassAsync(pass, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                // Usually the database is unreachable: the rows wait there. Whatever it was, the worker must not
                // die with it; it looks again at the next poll.
                Log.OutboxUnavailable(_logger, EmailLogRedaction.Describe(exception));
                wait = _options.PollInterval;
            }

            await WaitAsync(wait, stopping);
        }
    }

    /// <summary>One pass: claims and starts what is due, and says how long to wait before the next one.</summary>
    private async Task<TimeSpan> PassAsync(long pass, CancellationToken stopping)
    {
        var now = _time.GetUtcNow();
        if (now - _lastPurge >= PurgeInterval)
        {
            _lastPurge = now;
            if (await _table.PurgeFailedAsync(now - _options.FailedRetention, stopping) is > 0 and var purged)
            {
                Log.FailedPurged(_logger, purged, _options.FailedRetention);
            }
        }

        var free = _options.BatchSize - _inFlight.Count;
        if (free <= 0)
        {
            // Every slot is busy; a send that ends wakes the worker.
            return _options.PollInterval;
        }

        var claims = await _table.ClaimAsync(free, now, OutboxTable.Truncate(now + _options.LeaseDuration), stopping);
        foreach (var claim in claims)
        {
            Start(claim);
        }

        if (claims.Count > 0)
        {
            return _options.PollInterval;
        }

        var next = await _table.NextDueAsync(now, stopping);
        if (_inFlight.IsEmpty && (next is null || next <= now))
        {
            CompleteDrains(pass);
        }

        var wait = next is { } due && due > now && due - now < _options.PollInterval ? due - now : _options.PollInterval;
        lock (_gate)
        {
            if (_quickLook is { } quick)
            {
                wait = quick < wait ? quick : wait;
                _quickLook = quick * 2 < _options.PollInterval ? quick * 2 : null;
            }
        }

        return wait;
    }

    private void Start(OutboxClaim claim)
    {
        var send = Task.Run(() => SendAsync(claim), CancellationToken.None);
        _inFlight[claim.Id] = send;
        _ = send.ContinueWith(_ =>
        {
            _inFlight.TryRemove(claim.Id, out var _);
            Wake();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // The recipient appears masked (j***@example.com), the subject and bodies never: they may hold tokens or codes.
    private async Task SendAsync(OutboxClaim claim)
    {
        var recipient = EmailLogRedaction.MaskAddress(claim.Recipient);
        try
        {
            EmailMessage message;
            try
            {
                message = _content.Open(claim);
            }
            catch (Exception exception) when (exception is CryptographicException or JsonException or ArgumentException)
            {
                await GiveUpAsync(claim, recipient, "The stored message cannot be opened: it was altered, or sealed under another master key.");
                return;
            }

            try
            {
                await _sender.SendAsync(message, _abortSends.Token);
            }
            catch (OperationCanceledException) when (_abortSends.IsCancellationRequested)
            {
                await _table.ReleaseAsync(claim, CancellationToken.None);
                Log.Released(_logger, claim.Category, recipient);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                await AttemptFailedAsync(claim, recipient, exception);
                return;
            }

            Log.Sent(_logger, claim.Category, recipient, claim.Attempts);
            await _table.DeleteAsync(claim.Id, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Usually the database is unreachable. The row keeps its lease; when that runs out it is tried again (for a message already sent: twice).
            Log.BookkeepingFailed(_logger, claim.Category, recipient, EmailLogRedaction.Describe(exception));
        }
    }

    private async Task AttemptFailedAsync(OutboxClaim claim, string recipient, Exception failure)
    {
        var reason = EmailLogRedaction.Describe(failure);
        if (OutboxRetryPolicy.NextDelay(failure, claim.Attempts, _options) is not { } delay)
        {
            await GiveUpAsync(claim, recipient, reason);
            return;
        }

        if (await _table.RescheduleAsync(claim, _time.GetUtcNow() + delay, reason, CancellationToken.None))
        {
            Log.Retrying(_logger, claim.Category, recipient, claim.Attempts, delay, reason);
        }
        else
        {
            Log.LeaseLost(_logger, claim.Category, recipient);
        }
    }

    private async Task GiveUpAsync(OutboxClaim claim, string recipient, string reason)
    {
        if (await _table.FailAsync(claim, _time.GetUtcNow(), reason, CancellationToken.None))
        {
            Log.Failed(_logger, claim.Category, recipient, claim.Attempts, reason);
        }
        else
        {
            Log.LeaseLost(_logger, claim.Category, recipient);
        }
    }

    private void CompleteDrains(long pass)
    {
        lock (_gate)
        {
            _drains.RemoveAll(drain =>
            {
                if (drain.Pass > pass)
                {
                    return false;
                }

                drain.Done.TrySetResult();
                return true;
            });
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stopping)
    {
        if (wait <= TimeSpan.Zero || stopping.IsCancellationRequested)
        {
            return;
        }

        using var timer = new CancellationTokenSource(wait, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, stopping);
        try
        {
            await _wake.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            // The wait is over (timer) or the worker is stopping (checked by the loop).
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "E-mail {Category} to {Recipient} sent on attempt {Attempt}", EventName = "EmailSent")]
        public static partial void Sent(ILogger logger, string category, string recipient, int attempt);

        [LoggerMessage(2, LogLevel.Warning, "E-mail {Category} to {Recipient} failed on attempt {Attempt}; retrying in {Delay}: {Reason}", EventName = "EmailRetrying")]
        public static partial void Retrying(ILogger logger, string category, string recipient, int attempt, TimeSpan delay, string reason);

        [LoggerMessage(3, LogLevel.Error, "E-mail {Category} to {Recipient} was not sent after {Attempts} attempt(s) and is marked failed in the outbox: {Reason}", EventName = "EmailFailed")]
        public static partial void Failed(ILogger logger, string category, string recipient, int attempts, string reason);

        [LoggerMessage(6, LogLevel.Warning, "E-mail {Category} to {Recipient} was cut short at shutdown and given back to the outbox", EventName = "EmailReleased")]
        public static partial void Released(ILogger logger, string category, string recipient);

        [LoggerMessage(7, LogLevel.Warning, "The e-mail outbox cannot be read; queued mail waits in the database: {Reason}", EventName = "EmailOutboxUnavailable")]
        public static partial void OutboxUnavailable(ILogger logger, string reason);

        [LoggerMessage(8, LogLevel.Warning, "E-mail {Category} to {Recipient}: the lease ran out during the attempt and another node holds the message now", EventName = "EmailLeaseLost")]
        public static partial void LeaseLost(ILogger logger, string category, string recipient);

        [LoggerMessage(9, LogLevel.Warning, "E-mail {Category} to {Recipient}: the outcome could not be recorded; the message is tried again when its lease ends: {Reason}", EventName = "EmailOutcomeNotRecorded")]
        public static partial void BookkeepingFailed(ILogger logger, string category, string recipient, string reason);

        [LoggerMessage(10, LogLevel.Information, "Deleted {Count} failed e-mail(s) kept longer than {Retention}", EventName = "EmailFailedPurged")]
        public static partial void FailedPurged(ILogger logger, int count, TimeSpan retention);
    }
}
