using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Tasks.Sources;

namespace Bastion.Redis.Connections;

/// <summary>
/// A command waiting for its reply: the awaitable handed to the caller and the entry in the connection's
/// FIFO of unanswered commands. Pooled so that a command on the hot path allocates nothing.
/// </summary>
/// <remarks>
/// Two parties hold it: the connection (until the reply arrives or the connection fails) and the caller
/// (until it has read the result). Completion is first-wins, so when a timeout completes the command early
/// the reply that arrives later is still dequeued in order and simply dropped; the object returns to the
/// pool only when both parties are done with it.
/// </remarks>
internal sealed class PendingCommand : IValueTaskSource<RedisValue>
{
    private const int MaxPooled = 1024;
    private static readonly ConcurrentQueue<PendingCommand> Pool = new();
    private static int s_pooledCount;

    // Continuations run on the thread pool so a caller's code never runs on (and stalls) the reply reader.
    private ManualResetValueTaskSourceCore<RedisValue> _core = new() { RunContinuationsAsynchronously = true };
    private int _completed;
    private int _owners;
    private bool _returnErrorReplies;

    private PendingCommand()
    {
    }

    /// <summary>The command's name, used in timeout and failure messages; never its arguments.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary><see cref="Stopwatch"/> timestamp of when the command was queued.</summary>
    public long QueuedAt { get; private set; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public ValueTask<RedisValue> Task => new(this, _core.Version);

    /// <param name="name">Command name for messages.</param>
    /// <param name="returnErrorReplies">Hand an error reply back as a value instead of throwing; used by EVALSHA to detect NOSCRIPT.</param>
    public static PendingCommand Rent(string name, bool returnErrorReplies = false)
    {
        if (Pool.TryDequeue(out PendingCommand? command))
        {
            Interlocked.Decrement(ref s_pooledCount);
        }
        else
        {
            command = new PendingCommand();
        }

        command.Name = name;
        command._returnErrorReplies = returnErrorReplies;
        command._completed = 0;
        command._owners = 2;
        command.QueuedAt = Stopwatch.GetTimestamp();
        return command;
    }

    public bool TrySetResult(RedisValue value)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _core.SetResult(value);
        return true;
    }

    public bool TrySetException(Exception exception)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _core.SetException(exception);
        return true;
    }

    /// <summary>Called by the connection once the command has left its queue.</summary>
    public void ReleaseFromConnection() => Release();

    /// <summary>For a command that was rented but never queued nor handed out: straight back to the pool.</summary>
    public void ReturnUnused()
    {
        _owners = 1;
        Release();
    }

    RedisValue IValueTaskSource<RedisValue>.GetResult(short token)
    {
        // A second await of the same ValueTask must not release an object that may already serve another command.
        if (token != _core.Version)
        {
            throw new InvalidOperationException("A Redis command result can be awaited only once.");
        }

        try
        {
            RedisValue value = _core.GetResult(token);
            if (value.Kind == RedisValueKind.Error && !_returnErrorReplies)
            {
                throw new RedisServerException(Encoding.UTF8.GetString(value.AsBytes()!));
            }

            return value;
        }
        finally
        {
            Release();
        }
    }

    ValueTaskSourceStatus IValueTaskSource<RedisValue>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<RedisValue>.OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Release()
    {
        if (Interlocked.Decrement(ref _owners) != 0)
        {
            return;
        }

        _core.Reset();
        if (Interlocked.Increment(ref s_pooledCount) <= MaxPooled)
        {
            Pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref s_pooledCount);
        }
    }
}
