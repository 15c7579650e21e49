using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using Bastion.Redis.Protocol;

namespace Bastion.Redis.Connections;

/// <summary>
/// Keeps one logical connection up: holds the current <see cref="PhysicalConnection"/>, replaces it in the
/// background with capped exponential backoff when it fails, and lets commands issued meanwhile wait for the
/// replacement (up to the connect timeout) instead of failing at once.
/// </summary>
internal sealed class ReconnectingConnection : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly RedisConnectionOptions _options;
    private readonly string _name;
    private readonly Func<PhysicalConnection, Task> _handshake;
    private readonly Func<RedisValue, bool>? _pushHandler;
    private readonly CancellationTokenSource _disposing = new();
    private PhysicalConnection? _current;
    private TaskCompletionSource<PhysicalConnection> _connected = NewConnectedSource();
    private Exception? _lastError;
    private Task _reconnectLoop = Task.CompletedTask;
    private bool _disposed;

    /// <param name="options">Connection options.</param>
    /// <param name="name">Names the connection in log lines, e.g. "command connection 1".</param>
    /// <param name="handshake">Runs on every new connection before any caller's command (AUTH, SELECT, SUBSCRIBE).</param>
    /// <param name="pushHandler">Consumes out-of-band messages (pub/sub); see <see cref="PhysicalConnection"/>.</param>
    public ReconnectingConnection(
        RedisConnectionOptions options,
        string name,
        Func<PhysicalConnection, Task> handshake,
        Func<RedisValue, bool>? pushHandler = null)
    {
        _options = options;
        _name = name;
        _handshake = handshake;
        _pushHandler = pushHandler;
    }

    public bool IsConnected => Volatile.Read(ref _current)?.IsAlive == true;

    /// <summary>Makes the first connection; unlike reconnects, its failure is reported to the caller.</summary>
    /// <exception cref="RedisConnectionException">Redis is unreachable or rejected the handshake.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PhysicalConnection connection = await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        if (!TryPublish(connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            ObjectDisposedException.ThrowIf(_disposed, this);
            throw new RedisConnectionException($"The connection to Redis at {_options.EndPointDisplay} closed right after it was opened.", _lastError);
        }

        Log("connected");
    }

    /// <summary>
    /// Sends an encoded command. On the hot path the bytes go straight to the live connection; while
    /// disconnected the command waits for the reconnection for at most the connect timeout.
    /// </summary>
    public ValueTask<RedisValue> SendAsync(string name, ref RespCommandWriter command, bool returnErrorReplies = false)
    {
        PhysicalConnection? connection = Volatile.Read(ref _current);
        if (connection is not null && connection.TryEnqueue(name, command.WrittenSpan, returnErrorReplies, out ValueTask<RedisValue> reply))
        {
            return reply;
        }

        byte[] buffer = command.Detach(out int length);
        return SendWhenConnectedAsync(name, buffer, length, returnErrorReplies);
    }

    public async ValueTask DisposeAsync()
    {
        PhysicalConnection? current;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            current = _current;
            _current = null;
            _connected.TrySetException(new ObjectDisposedException(nameof(RedisClient)));
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }

        await _reconnectLoop.ConfigureAwait(false);
        _disposing.Dispose();
    }

    private static TaskCompletionSource<PhysicalConnection> NewConnectedSource() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async ValueTask<RedisValue> SendWhenConnectedAsync(string name, byte[] buffer, int length, bool returnErrorReplies)
    {
        try
        {
            long deadline = Stopwatch.GetTimestamp() + (long)(_options.ConnectTimeout.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                PhysicalConnection connection = await WaitForConnectionAsync(deadline).ConfigureAwait(false);
                if (connection.TryEnqueue(name, buffer.AsSpan(0, length), returnErrorReplies, out ValueTask<RedisValue> reply))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = [];
                    return await reply.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async ValueTask<PhysicalConnection> WaitForConnectionAsync(long deadline)
    {
        while (true)
        {
            Task<PhysicalConnection> connected;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, typeof(RedisClient));
                if (_current is { IsAlive: true } current)
                {
                    return current;
                }

                connected = _connected.Task;
            }

            TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
            {
                throw NotConnected();
            }

            if (connected.IsCompletedSuccessfully)
            {
                // The published connection has just failed and the failure handler has not swapped in a fresh
                // wait source yet; give it a moment rather than spinning.
                await Task.Delay(1).ConfigureAwait(false);
                continue;
            }

            try
            {
                await connected.WaitAsync(remaining).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw NotConnected();
            }
        }
    }

    private RedisConnectionException NotConnected() => new(
        $"No connection to Redis at {_options.EndPointDisplay} within the connect timeout of {_options.ConnectTimeout.TotalMilliseconds:0} ms. {_lastError?.Message}",
        _lastError);

    private void OnConnectionFailed(PhysicalConnection connection, Exception cause)
    {
        lock (_gate)
        {
            // Failures of a connection that never got published (handshake) are handled by whoever opened it.
            if (!ReferenceEquals(_current, connection) || _disposed)
            {
                return;
            }

            _current = null;
            _lastError = cause;
            _connected = NewConnectedSource();
            _reconnectLoop = Task.Run(ReconnectLoopAsync);
        }

        Log($"lost: {cause.Message}");
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "The background loop must survive any failed attempt and keep retrying until disposed.")]
    private async Task ReconnectLoopAsync()
    {
        TimeSpan delay = FirstRetryDelay;
        while (!_disposing.IsCancellationRequested)
        {
            try
            {
                PhysicalConnection connection = await ConnectOnceAsync(CancellationToken.None).ConfigureAwait(false);
                if (TryPublish(connection))
                {
                    Log("reconnected");
                    return;
                }

                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                if (_disposing.IsCancellationRequested)
                {
                    return;
                }

                _lastError = exception;
                Log($"reconnect failed, retrying in {delay.TotalMilliseconds:0} ms: {exception.Message}");
            }

            try
            {
                await Task.Delay(delay, _disposing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private bool TryPublish(PhysicalConnection connection)
    {
        lock (_gate)
        {
            // A connection that died between handshake and here never reaches callers; the caller retries.
            if (_disposed || !connection.IsAlive)
            {
                return false;
            }

            _current = connection;
            _connected.TrySetResult(connection);
            return true;
        }
    }

    private async Task<PhysicalConnection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        PhysicalConnection? connection = null;
        try
        {
            connection = await PhysicalConnection.ConnectAsync(_options, _pushHandler, OnConnectionFailed, timeout.Token).ConfigureAwait(false);

            // The handshake's replies are awaited without the token, so the timeout aborts it by closing the socket.
            await using (timeout.Token.Register(
                static state => ((PhysicalConnection)state!).Fail(new OperationCanceledException()), connection).ConfigureAwait(false))
            {
                await _handshake(connection).ConfigureAwait(false);
            }

            timeout.Token.ThrowIfCancellationRequested();
            return connection;
        }
        catch (Exception exception)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, typeof(RedisClient));
            throw DescribeConnectFailure(exception, timeout.IsCancellationRequested);
        }
    }

    private RedisConnectionException DescribeConnectFailure(Exception exception, bool timedOut)
    {
        string reason = exception switch
        {
            RedisServerException server => $"the server rejected the handshake: {server.Message}",
            _ when timedOut => $"no answer within the connect timeout of {_options.ConnectTimeout.TotalMilliseconds:0} ms",
            SocketException socket => socket.Message,
            RedisConnectionException { InnerException: RedisServerException server } => $"the server rejected the handshake: {server.Message}",
            _ => exception.Message,
        };
        return new RedisConnectionException($"Could not connect to Redis at {_options.EndPointDisplay}: {reason}", exception);
    }

    private void Log(string message) => _options.WriteLog($"Redis {_name} to {_options.EndPointDisplay} {message}");
}
