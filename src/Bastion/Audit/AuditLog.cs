using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Audit;

/// <summary>
/// The audit writer. Callers queue entries on a channel; one background loop takes whatever has queued (up to
/// <see cref="AuditOptions.MaxBatchSize"/>, waiting at most <see cref="AuditOptions.BatchWindow"/> for more) and
/// commits it in one transaction, then completes each caller's task. Many concurrent writes thus cost few commits,
/// and a caller still learns that its own entry is durable. A failed batch is rolled back whole and every caller in
/// it sees the exception; the loop goes on with the next batch.
/// <para>
/// Entries that record a change are instead <see cref="Stage">staged</see> in the change's own unit of work: they
/// land in <c>audit_outbox</c> in the same transaction as the change, so neither commits without the other (a
/// transactional outbox). Each batch that is asked to (after such a commit, and every
/// <see cref="AuditOptions.OutboxSweepInterval"/> for entries whose writer died before asking) takes the oldest
/// outbox entries out of the outbox and into the chain, ahead of the queued ones, in the batch's transaction.
/// </para>
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
    private readonly ITimer _sweep;
    private readonly ConditionalWeakTable<DbContext, object> _stagedIn = [];
    private readonly AuditUserKeys? _keys;
    private readonly Task _writer;

    /// <param name="keys">The per-user keys that seal personal fields (see <see cref="AuditPersonalFields"/>); without them entries are stored as given.</param>
    public AuditLog(
        AuditDatabase database, IOptions<AuditOptions> options, AuditAlertDispatcher alerts, TimeProvider time, ILogger<AuditLog> logger, AuditUserKeys? keys = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _keys = keys;
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
        _sweep = time.CreateTimer(_ => _queue.Writer.TryWrite(new PendingEntry(null)), null, options.Value.OutboxSweepInterval, options.Value.OutboxSweepInterval);
    }

    public void Stage(DbContext db, AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(db);
        var record = AuditEntryBuilder.Build(auditEvent, _time.GetUtcNow());
        db.Set<AuditOutboxRecord>().Add(new AuditOutboxRecord
        {
            OccurredAt = record.OccurredAt,
            Type = record.Type,
            Severity = record.Severity,
            Outcome = record.Outcome,
            UserId = record.UserId,
            IpAddress = record.IpAddress,
            UserAgent = record.UserAgent,
            Resource = record.Resource,
            Action = record.Action,
            EntityType = record.EntityType,
            EntityId = record.EntityId,
            RequestId = record.RequestId,
            Changes = record.ChangesJson,
            Details = record.DetailsJson,
        });
        _stagedIn.AddOrUpdate(db, Staged);
    }

    /// <summary>Whether <see cref="Stage"/> added entries to <paramref name="db"/> since the last call; clears the mark.</summary>
    internal bool TakeStaged(DbContext db) => _stagedIn.Remove(db);

    /// <summary>
    /// Chains the outbox's entries now and completes once they are in the chain. A failure is logged and swallowed:
    /// the entries stay durable in the outbox and a later pass chains them.
    /// </summary>
    internal async Task ChainStagedAsync(CancellationToken cancellationToken)
    {
        var pass = new PendingEntry(null);
        if (!_queue.Writer.TryWrite(pass))
        {
            // Shut down, or the queue is full: the next pass (or the next node) chains them.
            return;
        }

        try
        {
            await pass.Committed.Task.WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.OutboxNotChained(_logger, exception.GetType().Name);
        }
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
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await _sweep.DisposeAsync();

        // One last pass over the outbox, so that what this node staged is chained before it stops.
        _queue.Writer.TryWrite(new PendingEntry(null));
        _queue.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken);
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
        var chainOutbox = batch.Exists(entry => entry.Record is null);
        var records = new List<AuditRecord>(batch.Count);
        var alerted = new List<AuditRecord>(batch.Count);
        var outboxFull = false;
        try
        {
            await using var connection = await _database.OpenAsync(CancellationToken.None);
            await using var transaction = await AuditDatabase.BeginWriteAsync(connection, CancellationToken.None);
            var (seq, previous) = await AuditDatabase.ReadHeadAsync(connection, transaction, CancellationToken.None);

            // Outbox entries first: their changes committed before this batch began.
            var outbox = chainOutbox
                ? await _database.TakeOutboxAsync(connection, transaction, _maxBatchSize, CancellationToken.None)
                : [];
            outboxFull = outbox.Count == _maxBatchSize;
            var entries = outbox.Concat(batch.Where(entry => entry.Record is not null).Select(entry => entry.Record!)).ToList();

            // Personal fields are sealed before hashing: the chain covers the stored form, so shredding a key later
            // changes nothing it covers. Alerts get the entry as written, for the administrator's eyes only.
            var keys = _keys is null || entries.Count == 0
                ? null
                : await _keys.ForWriteAsync(connection, transaction, entries.SelectMany(AuditPersonalFields.Owners));
            foreach (var record in entries)
            {
                var stored = keys is null ? record : AuditPersonalFields.Seal(record, keys);
                var chained = stored with { Seq = ++seq, PrevHash = previous };
                chained = chained with { Hash = AuditHash.Compute(chained) };
                records.Add(chained);
                alerted.Add(record with { Seq = chained.Seq, PrevHash = chained.PrevHash, Hash = chained.Hash });
                previous = chained.Hash;
            }

            if (records.Count > 0)
            {
                await _database.InsertAsync(connection, transaction, records, CancellationToken.None);
            }

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

        foreach (var entry in batch)
        {
            entry.Committed.TrySetResult();
        }

        foreach (var record in alerted.Where(record => record.Severity == CriticalSeverity))
        {
            _alerts.Enqueue(record);
        }

        if (outboxFull)
        {
            // A backlog (entries left while the database was away): keep chaining without waiting for the sweep.
            _queue.Writer.TryWrite(new PendingEntry(null));
        }
    }

    private static readonly object Staged = new();

    /// <summary>An entry to chain, or (with no record) a request to chain the outbox.</summary>
    private sealed class PendingEntry(AuditRecord? record)
    {
        public AuditRecord? Record { get; } = record;

        // Continuations run off the writer loop, so a slow caller cannot hold up the next batch.
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Could not write a batch of {Count} audit entries; the writers were told and nothing of the batch was stored", EventName = "AuditBatchFailed")]
        public static partial void BatchFailed(ILogger logger, Exception exception, int count);

        [LoggerMessage(2, LogLevel.Warning, "Audit entries committed with their changes could not be chained yet ({ExceptionType}); they stay in the outbox for the next pass", EventName = "AuditOutboxNotChained")]
        public static partial void OutboxNotChained(ILogger logger, string exceptionType);
    }
}
