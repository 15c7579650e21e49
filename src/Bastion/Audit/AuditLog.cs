using System.Threading.Channels;
using Bastion.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Audit;

/// <summary>
/// The audit writer. Callers queue entries on a channel; one background loop takes whatever has queued (up to
/// <see cref="AuditOptions.MaxBatchSize"/>, waiting at most <see cref="AuditOptions.BatchWindow"/> for more) and
/// commits it in one transaction, then completes each caller's task. Many concurrent writes thus cost few commits,
/// and a caller still learns that its own entry is durable. A failed batch is rolled back whole and every caller in
/// it sees the exception; the loop goes on with the next batch.
/// </summary>
internal sealed partial class AuditLog : IAuditLog, IAsyncDisposable, IDisposable
{
    private static readonly string CriticalSeverity = AuditEntryBuilder.Name(AuditSeverity.Critical);
    private readonly AuditDatabase _database;
    private readonly AuditAlertDispatcher _alerts;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditLog> _logger;
    private readonly Channel<PendingEntry> _queue;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _batchWindow;
    private readonly Task _writer;

    public AuditLog(AuditDatabase database, IOptions<AuditOptions> options, AuditAlertDispatcher alerts, TimeProvider time, ILogger<AuditLog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _alerts = alerts;
        _time = time;
        _logger = logger;
        _maxBatchSize = options.Value.MaxBatchSize;
        _batchWindow = options.Value.BatchWindow;

        // Bounded: when the database falls behind, writers wait for room instead of the queue growing without limit.
        _queue = Channel.CreateBounded<PendingEntry>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(RunAsync);
    }

    public async Task WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        var entry = new PendingEntry(AuditEntryBuilder.Build(auditEvent, _time.GetUtcNow()));
        try
        {
            await _queue.Writer.WriteAsync(entry, cancellationToken);
        }
        catch (ChannelClosedException exception)
        {
            throw new ObjectDisposedException("The audit log has been shut down; no more entries can be written.", exception);
        }

        await entry.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Stops accepting entries and waits until every queued entry has been written (at shutdown, once no request
    /// can queue one any more); later writes fail with <see cref="ObjectDisposedException"/>.
    /// </summary>
    public Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        _queue.Writer.TryComplete();
        return _writer.WaitAsync(cancellationToken);
    }

    /// <summary>Stops accepting entries and waits until every queued entry has been written.</summary>
    public async ValueTask DisposeAsync() => await CompleteAsync();

    /// <summary>For a container disposed synchronously: the queue is still flushed first.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingEntry>(_maxBatchSize);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            Drain(reader, batch);
            if (batch.Count < _maxBatchSize && _batchWindow > TimeSpan.Zero)
            {
                await LingerAsync(reader, batch);
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
            }
        }
    }

    private void Drain(ChannelReader<PendingEntry> reader, List<PendingEntry> batch)
    {
        while (batch.Count < _maxBatchSize && reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }
    }

    private async Task LingerAsync(ChannelReader<PendingEntry> reader, List<PendingEntry> batch)
    {
        using var window = new CancellationTokenSource(_batchWindow, _time);
        try
        {
            while (batch.Count < _maxBatchSize && await reader.WaitToReadAsync(window.Token))
            {
                Drain(reader, batch);
            }
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            // The window has passed: commit what has come so far.
        }
    }

    private async Task CommitAsync(List<PendingEntry> batch)
    {
        var records = new AuditRecord[batch.Count];
        try
        {
            await using var connection = await _database.OpenAsync(CancellationToken.None);
            await using var transaction = await AuditDatabase.BeginWriteAsync(connection, CancellationToken.None);
            var (seq, previous) = await AuditDatabase.ReadHeadAsync(connection, transaction, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                var record = batch[i].Record with { Seq = ++seq, PrevHash = previous };
                records[i] = record with { Hash = AuditHash.Compute(record) };
                previous = records[i].Hash;
            }

            await _database.InsertAsync(connection, transaction, records, CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            Log.BatchFailed(_logger, exception, batch.Count);
            foreach (var entry in batch)
            {
                entry.Committed.TrySetException(exception);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Committed.TrySetResult();
            if (records[i].Severity == CriticalSeverity)
            {
                _alerts.Enqueue(records[i]);
            }
        }
    }

    private sealed class PendingEntry(AuditRecord record)
    {
        public AuditRecord Record { get; } = record;

        // Continuations run off the writer loop, so a slow caller cannot hold up the next batch.
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Could not write a batch of {Count} audit entries; the writers were told and nothing of the batch was stored", EventName = "AuditBatchFailed")]
        public static partial void BatchFailed(ILogger logger, Exception exception, int count);
    }
}
