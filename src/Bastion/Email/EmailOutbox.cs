using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Email;

/// <summary>
/// Delivers queued messages in the background through <see cref="IEmailSender"/>, a few at a time. A transient
/// failure (connection, timeout, a 4xx reply) is retried with exponential backoff and jitter; a permanent one (a 5xx
/// reply such as a refused recipient or failed authentication) is logged at once, since repeating it cannot help
/// and may lock the SMTP account. At shutdown, messages still queued get a grace period to go out.
/// </summary>
internal sealed partial class EmailOutbox : IEmailOutbox, IHostedService, IAsyncDisposable
{
    private const int MaxConcurrentSends = 4;
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    private readonly IEmailSender _sender;
    private readonly EmailOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EmailOutbox> _logger;
    private readonly Channel<EmailMessage> _queue;
    private readonly SemaphoreSlim _concurrency = new(MaxConcurrentSends);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _idle = CompletedSource();
    private int _pending;
    private Task? _loop;
    private bool _disposed;

    public EmailOutbox(IEmailSender sender, IOptions<EmailOptions> options, TimeProvider time, ILogger<EmailOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sender = sender;
        _options = options.Value;
        _time = time;
        _logger = logger;

        // FullMode Wait: TryWrite then answers false on a full queue (the Drop modes report success), and nobody waits.
        _queue = Channel.CreateBounded<EmailMessage>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true });
    }

    public bool Enqueue(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (!_queue.Writer.TryWrite(message))
            {
                Log.Dropped(_logger, message.Category, EmailLogRedaction.MaskAddress(message.To));
                return false;
            }

            if (_pending++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        return true;
    }

    /// <summary>Completes when every message enqueued so far has been delivered or given up on (for tests and shutdown).</summary>
    internal Task DrainAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking messages and lets queued ones go out for a grace period; then abandons the rest (logged).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _queue.Writer.TryComplete();
        }

        var drained = DrainAsync(CancellationToken.None);
        using var graceEnds = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var finished = _loop is null ? null : await Task.WhenAny(drained, Task.Delay(ShutdownGrace, _time, graceEnds.Token));
        await graceEnds.CancelAsync();
        if (finished != drained)
        {
            await _stopping.CancelAsync();
        }

        if (_loop is not null)
        {
            await _loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
        _concurrency.Dispose();
    }

    private async Task RunAsync()
    {
        var deliveries = new List<Task>();

        // The queue ends when StopAsync completes it; once the grace period is over, what is left is abandoned.
        await foreach (var message in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await _concurrency.WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                Log.Abandoned(_logger, message.Category, EmailLogRedaction.MaskAddress(message.To));
                Completed();
                continue;
            }

            deliveries.RemoveAll(d => d.IsCompleted);
            deliveries.Add(DeliverAsync(message));
        }

        await Task.WhenAll(deliveries);
    }

    private async Task DeliverAsync(EmailMessage message)
    {
        var recipient = EmailLogRedaction.MaskAddress(message.To);
        var token = _stopping.Token;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await _sender.SendAsync(message, token);
                    Log.Sent(_logger, message.Category, recipient, attempt);
                    return;
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    var reason = EmailLogRedaction.Describe(exception);
                    if (!EmailFailures.IsTransient(exception) || attempt > _options.Retries)
                    {
                        Log.Failed(_logger, message.Category, recipient, attempt, reason);
                        return;
                    }

                    var delay = RetryDelay(attempt);
                    Log.Retrying(_logger, message.Category, recipient, attempt, delay, reason);
                    await Task.Delay(delay, _time, token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Log.Abandoned(_logger, message.Category, recipient);
        }
        finally
        {
            Completed();
            _concurrency.Release();
        }
    }

    /// <summary>Doubling from <see cref="EmailOptions.RetryDelay"/>, with ±20 % jitter so that nodes do not retry in step.</summary>
    internal TimeSpan RetryDelay(int attempt)
        => _options.RetryDelay * Math.Pow(2, Math.Min(attempt - 1, 16)) * (0.8 + (RandomNumberGenerator.GetInt32(401) / 1000.0));

    private void Completed()
    {
        lock (_gate)
        {
            if (--_pending == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

    // The recipient appears masked (j***@example.com) and the subject and body never: they may hold tokens or codes.
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "E-mail {Category} to {Recipient} sent on attempt {Attempt}", EventName = "EmailSent")]
        public static partial void Sent(ILogger logger, string category, string recipient, int attempt);

        [LoggerMessage(2, LogLevel.Warning, "E-mail {Category} to {Recipient} failed on attempt {Attempt}; retrying in {Delay}: {Reason}", EventName = "EmailRetrying")]
        public static partial void Retrying(ILogger logger, string category, string recipient, int attempt, TimeSpan delay, string reason);

        [LoggerMessage(3, LogLevel.Error, "E-mail {Category} to {Recipient} was not sent after {Attempts} attempt(s): {Reason}", EventName = "EmailFailed")]
        public static partial void Failed(ILogger logger, string category, string recipient, int attempts, string reason);

        [LoggerMessage(4, LogLevel.Error, "E-mail queue is full or stopped; {Category} to {Recipient} was dropped", EventName = "EmailDropped")]
        public static partial void Dropped(ILogger logger, string category, string recipient);

        [LoggerMessage(5, LogLevel.Warning, "E-mail {Category} to {Recipient} was abandoned at shutdown", EventName = "EmailAbandoned")]
        public static partial void Abandoned(ILogger logger, string category, string recipient);
    }
}
