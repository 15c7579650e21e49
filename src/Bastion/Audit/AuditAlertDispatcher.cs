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
internal sealed partial class AuditAlertDispatcher : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

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

    public void Enqueue(AuditRecord alert)
    {
        if (_sinks.Length > 0 && !_queue.Writer.TryWrite(alert))
        {
            Log.AlertDropped(_logger, alert.Seq, alert.Type);
        }
    }

    /// <summary>Stops taking alerts, gives deliveries in progress a few seconds, then cancels them.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        var pending = Task.WhenAll(_deliveries.Keys);
        if (await Task.WhenAny(pending, Task.Delay(ShutdownGrace, _time)) != pending)
        {
            await _stopping.CancelAsync();
        }

        await pending;
        _stopping.Dispose();
        _concurrency.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var alert in _queue.Reader.ReadAllAsync())
        {
            foreach (var sink in _sinks)
            {
                await _concurrency.WaitAsync();
                var delivery = DeliverAsync(sink, alert);
                _deliveries.TryAdd(delivery, true);
                _ = delivery.ContinueWith(done => _deliveries.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
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
    }
}
