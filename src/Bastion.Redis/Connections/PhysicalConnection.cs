using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Bastion.Redis.Protocol;

namespace Bastion.Redis.Connections;

/// <summary>
/// One TCP connection to Redis with pipelining: callers append their encoded command to a shared output
/// buffer and to the FIFO of unanswered commands in one step under a lock, so the order on the wire is the
/// order of the queue; Redis answers commands of one connection strictly in order (RESP spec, "Pipelining"),
/// so each reply completes the queue's head. A connection never comes back after a failure: the owning
/// <see cref="ReconnectingConnection"/> replaces it.
/// </summary>
internal sealed class PhysicalConnection : IAsyncDisposable
{
    private const int InitialBufferSize = 16 * 1024;

    private readonly object _gate = new();
    private readonly Queue<PendingCommand> _awaitingReply = new();
    private readonly Socket _socket;
    private readonly PipeReader _input;
    private readonly RedisConnectionOptions _options;
    private readonly Func<RedisValue, bool>? _pushHandler;
    private readonly Action<PhysicalConnection, Exception> _onFailed;
    private readonly Timer _timeoutTimer;
    private readonly long _syncTimeoutTicks;
    private readonly long _unresponsiveTicks;
    private byte[] _output = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int _outputLength;
    private byte[] _sending = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private bool _flushing;
    private Exception? _failure;
    private Task _readLoop = Task.CompletedTask;

    private PhysicalConnection(
        Socket socket,
        RedisConnectionOptions options,
        Func<RedisValue, bool>? pushHandler,
        Action<PhysicalConnection, Exception> onFailed)
    {
        _socket = socket;
        _options = options;
        _pushHandler = pushHandler;
        _onFailed = onFailed;
        _input = PipeReader.Create(new NetworkStream(socket, ownsSocket: false), new StreamPipeReaderOptions(bufferSize: InitialBufferSize));
        _syncTimeoutTicks = ToStopwatchTicks(options.SyncTimeout);
        _unresponsiveTicks = ToStopwatchTicks(options.UnresponsiveTimeout);

        // Deadlines are checked by one timer per connection rather than one per command, which keeps the hot
        // path free of timer allocations; the cost is that a timeout fires up to one tick late.
        TimeSpan tick = TimeSpan.FromTicks(Math.Clamp(options.SyncTimeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerMillisecond * 250));
        _timeoutTimer = new Timer(static state => ((PhysicalConnection)state!).CheckDeadlines(), this, tick, tick);
    }

    public bool IsAlive => Volatile.Read(ref _failure) is null;

    /// <summary>Opens the TCP connection and starts reading replies; the handshake is the caller's business.</summary>
    public static async Task<PhysicalConnection> ConnectAsync(
        RedisConnectionOptions options,
        Func<RedisValue, bool>? pushHandler,
        Action<PhysicalConnection, Exception> onFailed,
        CancellationToken cancellationToken)
    {
        // NoDelay: commands are small and latency-bound; Nagle would hold a lone GET back for up to 40 ms.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            EnableKeepAlive(socket);
            await socket.ConnectAsync(new DnsEndPoint(options.Host, options.Port), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new PhysicalConnection(socket, options, pushHandler, onFailed);
        connection._readLoop = connection.ReadLoopAsync();
        return connection;
    }

    /// <summary>
    /// Queues an encoded command. The bytes are copied before this returns, so the caller may reuse its buffer.
    /// Returns false, without queuing, when the connection has failed.
    /// </summary>
    public bool TryEnqueue(string name, ReadOnlySpan<byte> command, bool returnErrorReplies, out ValueTask<RedisValue> reply)
    {
        PendingCommand pending = PendingCommand.Rent(name, returnErrorReplies);
        bool startFlush;
        lock (_gate)
        {
            if (_failure is not null)
            {
                pending.ReturnUnused();
                reply = default;
                return false;
            }

            EnsureOutputCapacity(command.Length);
            command.CopyTo(_output.AsSpan(_outputLength));
            _outputLength += command.Length;
            _awaitingReply.Enqueue(pending);
            startFlush = !_flushing;
            _flushing = true;
        }

        reply = pending.Task;
        if (startFlush)
        {
            // Not awaited: the loop reports its own failures through Fail, and the caller awaits the reply instead.
            _ = FlushLoopAsync();
        }

        return true;
    }

    /// <summary>Queues a command on this particular connection, as the handshake must.</summary>
    /// <exception cref="RedisConnectionException">The connection has already failed.</exception>
    public ValueTask<RedisValue> SendAsync(string name, ReadOnlySpan<byte> command) =>
        TryEnqueue(name, command, returnErrorReplies: false, out ValueTask<RedisValue> reply)
            ? reply
            : throw new RedisConnectionException($"Redis command {name} could not be sent: the connection to {_options.EndPointDisplay} is closed.", _failure);

    /// <summary>
    /// Closes the connection once: every unanswered command fails with <see cref="RedisConnectionException"/>
    /// (it may or may not have run on the server) and the owner is told so it can reconnect.
    /// </summary>
    public void Fail(Exception cause)
    {
        PendingCommand[] orphans;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return;
            }

            _failure = cause;
            orphans = _awaitingReply.ToArray();
            _awaitingReply.Clear();
        }

        _timeoutTimer.Dispose();
        _socket.Dispose();
        foreach (PendingCommand orphan in orphans)
        {
            orphan.TrySetException(new RedisConnectionException(
                $"Redis command {orphan.Name} failed: the connection to {_options.EndPointDisplay} was lost before its reply arrived, so it may or may not have run. {cause.Message}",
                cause));
            orphan.ReleaseFromConnection();
        }

        _onFailed(this, cause);
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new RedisConnectionException("The Redis client was disposed."));
        await _readLoop.ConfigureAwait(false);
    }

    private static long ToStopwatchTicks(TimeSpan value) => (long)(value.TotalSeconds * Stopwatch.Frequency);

    private static void EnableKeepAlive(Socket socket)
    {
        // TCP keep-alive notices a silently vanished peer on an idle connection; commands in flight are
        // covered by the unresponsive-connection check instead.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
        }
        catch (SocketException)
        {
            // The platform keeps its default timings; keep-alive itself is still on.
        }
    }

    private void EnsureOutputCapacity(int additional)
    {
        if (_outputLength + additional <= _output.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_output.Length * 2, _outputLength + additional));
        _output.AsSpan(0, _outputLength).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_output);
        _output = larger;
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "Any failure of the write loop must close the connection and fail the pending commands.")]
    private async Task FlushLoopAsync()
    {
        // The first batch is sent on the caller's thread (lowest latency for a lone command). If more commands
        // piled up meanwhile, the loop moves to the thread pool once so that caller is not held up sending
        // everyone else's commands.
        bool first = true;
        bool yielded = false;
        try
        {
            while (true)
            {
                byte[] batch;
                int length;
                lock (_gate)
                {
                    if (_outputLength == 0 || _failure is not null)
                    {
                        _flushing = false;
                        return;
                    }

                    if (first || yielded)
                    {
                        batch = _output;
                        length = _outputLength;
                        _output = _sending;
                        _outputLength = 0;
                        _sending = batch;
                    }
                    else
                    {
                        batch = [];
                        length = -1;
                    }
                }

                if (length < 0)
                {
                    yielded = true;
                    await Task.Yield();
                    continue;
                }

                first = false;
                for (int sent = 0; sent < length;)
                {
                    sent += await _socket.SendAsync(batch.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception)
        {
            Fail(Describe(exception, "sending to"));
        }
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "Any failure of the read loop must close the connection and fail the pending commands.")]
    private async Task ReadLoopAsync()
    {
        Exception failure;
        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                SequencePosition consumed = DispatchReplies(buffer);

                // Consumed up to the last complete reply, examined everything: ReadAsync then waits for new bytes
                // instead of returning the same partial reply again.
                _input.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted)
                {
                    failure = new RedisConnectionException($"Redis at {_options.EndPointDisplay} closed the connection.");
                    break;
                }
            }
        }
        catch (Exception exception)
        {
            failure = Describe(exception, "reading from");
        }

        await _input.CompleteAsync().ConfigureAwait(false);
        Fail(failure);
    }

    private SequencePosition DispatchReplies(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (RespParser.TryRead(ref reader, out RedisValue reply))
        {
            if (_pushHandler is not null && _pushHandler(reply))
            {
                continue;
            }

            PendingCommand? command;
            lock (_gate)
            {
                _awaitingReply.TryDequeue(out command);
            }

            if (command is null)
            {
                throw new RedisConnectionException("Redis protocol error: a reply arrived with no command waiting for it.");
            }

            // False when the command already timed out: its late reply is dropped here, in order, so the
            // next caller still gets its own reply.
            command.TrySetResult(reply);
            command.ReleaseFromConnection();
        }

        return reader.Position;
    }

    private void CheckDeadlines()
    {
        long now = Stopwatch.GetTimestamp();
        bool unresponsive = false;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return;
            }

            bool head = true;
            foreach (PendingCommand command in _awaitingReply)
            {
                long waited = now - command.QueuedAt;
                if (head)
                {
                    unresponsive = waited > _unresponsiveTicks;
                    head = false;
                }

                // Commands queue in time order, so the first one still within its deadline ends the scan.
                if (waited < _syncTimeoutTicks)
                {
                    break;
                }

                if (!command.IsCompleted)
                {
                    command.TrySetException(new TimeoutException(
                        $"Redis command {command.Name} got no reply from {_options.EndPointDisplay} within the sync timeout of {_options.SyncTimeout.TotalMilliseconds:0} ms."));
                }
            }
        }

        if (unresponsive)
        {
            Fail(new RedisConnectionException(
                $"Redis at {_options.EndPointDisplay} has not answered for {_options.UnresponsiveTimeout.TotalSeconds:0.#} s; the connection is treated as dead and replaced."));
        }
    }

    private RedisConnectionException Describe(Exception exception, string activity) => exception switch
    {
        RedisConnectionException connection => connection,
        _ => new RedisConnectionException($"Error {activity} Redis at {_options.EndPointDisplay}: {exception.Message}", exception),
    };
}
