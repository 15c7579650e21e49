using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Audit;

/// <summary>
/// Hands committed critical entries to every <see cref="IAuditAlertSink"/> in the background. Queuing never waits
/// and never fails: alerting must not delay or break the request being audited. Each delivery is retried with
/// exponential backoff, independently of the others, so one slow or failing sink neither holds up another sink
/// nor the next alert. When the queue is full an alert is dropped and logged — the entry itself is already in the
/// audit log.
/// </summary>
internal sealed partial class AuditAlertDispatcher : IAsyncDisposable, IDisposable
{
    private readonly IAuditAlertSink[] _sinks;
    private readonly AuditAlertOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditAlertDispatcher> _logger;
    private readonly Channel<AuditRecord> _queue;
    private readonly SemaphoreSlim _concurrency;
    private readonly ConcurrentDictionary<Task, bool> _deliveries = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public AuditAlertDispatcher(IEnumerable<IAuditAlertSink> sinks, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditAlertDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sinks = sinks.ToArray();
        _options = options.Value.Alerts;
        _time = time;
        _logger = logger;
        _concurrency = new SemaphoreSlim(_options.MaxConcurrentDeliveries);
        _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How long shutdown waits for queued alerts and deliveries in progress before abandoning them.</summary>
    internal TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    public void Enqueue(AuditRecord alert)
    {
        if (_sinks.Length > 0 && !_queue.Writer.TryWrite(alert))
        {
            Log.AlertDropped(_logger, alert.Seq, alert.Type);
        }
    }

    /// <summary>Stops taking alerts, gives those queued and in progress <see cref="ShutdownGrace"/>, then abandons the rest.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_queue.Writer.TryComplete())
        {
            return;
        }

        var drained = DrainAsync();
        if (await Task.WhenAny(drained, Task.Delay(ShutdownGrace, _time)) != drained)
        {
            await _stopping.CancelAsync();
        }

        await drained;
        _stopping.Dispose();
        _concurrency.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task DrainAsync()
    {
        await _loop;
        await Task.WhenAll(_deliveries.Keys);
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync())
            {
                foreach (var sink in _sinks)
                {
                    await _concurrency.WaitAsync(_stopping.Token);
                    var delivery = DeliverAsync(sink, alert);
                    _deliveries.TryAdd(delivery, true);
                    _ = delivery.ContinueWith(done => _deliveries.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            var abandoned = 1;
            while (_queue.Reader.TryRead(out _))
            {
                abandoned++;
            }

            Log.AlertsAbandoned(_logger, abandoned);
        }
    }

    private async Task DeliverAsync(IAuditAlertSink sink, AuditRecord alert)
    {
        try
        {
            var token = _stopping.Token;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await sink.SendAsync(alert, token);
                    return;
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    if (attempt >= _options.MaxAttempts)
                    {
                        Log.AlertFailed(_logger, exception, sink.GetType().Name, alert.Seq, attempt);
                        return;
                    }

                    var delay = RetryDelay(attempt);
                    Log.AlertRetry(_logger, sink.GetType().Name, alert.Seq, attempt, delay, exception.Message);
                    await Task.Delay(delay, _time, token);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            Log.AlertAbandoned(_logger, sink.GetType().Name, alert.Seq);
        }
        finally
        {
            _concurrency.Release();
        }
    }

    /// <summary>Doubling from the initial delay up to the maximum, with ±20 % jitter so that nodes do not retry in step.</summary>
    internal TimeSpan RetryDelay(int attempt)
    {
        var exponential = _options.InitialRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = exponential < _options.MaxRetryDelay ? exponential : _options.MaxRetryDelay;
        return capped * (0.8 + (System.Security.Cryptography.RandomNumberGenerator.GetInt32(401) / 1000.0));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Alert for audit entry {Seq} via {Sink} failed on attempt {Attempt}; retrying in {Delay}: {Reason}", EventName = "AuditAlertRetry")]
        public static partial void AlertRetry(ILogger logger, string sink, long seq, int attempt, TimeSpan delay, string reason);

        [LoggerMessage(2, LogLevel.Error, "Alert for audit entry {Seq} via {Sink} was not delivered after {Attempts} attempts", EventName = "AuditAlertFailed")]
        public static partial void AlertFailed(ILogger logger, Exception exception, string sink, long seq, int attempts);

        [LoggerMessage(3, LogLevel.Error, "Alert queue is full; the alert for audit entry {Seq} ({Type}) was dropped (the entry itself is stored)", EventName = "AuditAlertDropped")]
        public static partial void AlertDropped(ILogger logger, long seq, string type);

        [LoggerMessage(4, LogLevel.Warning, "Alert for audit entry {Seq} via {Sink} was abandoned at shutdown", EventName = "AuditAlertAbandoned")]
        public static partial void AlertAbandoned(ILogger logger, string sink, long seq);

        [LoggerMessage(5, LogLevel.Warning, "{Count} queued alerts were abandoned at shutdown (their entries are stored)", EventName = "AuditAlertsAbandoned")]
        public static partial void AlertsAbandoned(ILogger logger, int count);
    }
}
