using System.Runtime.CompilerServices;
using Bastion.Redis.Connections;
using Bastion.Redis.Protocol;
using Bastion.Redis.PubSub;

namespace Bastion.Redis;

/// <summary>
/// A thread-safe Redis client for one server. Commands from all callers share a small number of pipelined
/// connections (<see cref="RedisConnectionOptions.ConnectionCount"/>): they are written back to back without
/// waiting for earlier replies and matched to their callers in order. Pub/sub uses a connection of its own.
/// When the server goes away, in-flight commands fail with <see cref="RedisConnectionException"/>, the client
/// reconnects in the background, and commands issued meanwhile wait up to the connect timeout for it.
/// </summary>
/// <remarks>
/// Create one per process and share it. Commands sent concurrently may run in any order relative to each other
/// when more than one connection is configured; commands awaited one after the other run in that order.
/// </remarks>
public sealed partial class RedisClient : IAsyncDisposable
{
    private const int TypicalCommandSize = 256;

    private readonly RedisConnectionOptions _options;
    private readonly ReconnectingConnection[] _connections;
    private readonly SubscriberConnection _subscriber;
    private uint _nextConnection;
    private int _disposed;

    private RedisClient(RedisConnectionOptions options)
    {
        _options = options;
        _connections = new ReconnectingConnection[options.ConnectionCount];
        for (int i = 0; i < _connections.Length; i++)
        {
            _connections[i] = new ReconnectingConnection(
                options,
                $"command connection {i + 1}",
                connection => Handshake.RunAsync(connection, options, []));
        }

        _subscriber = new SubscriberConnection(options);
    }

    /// <summary>True while every command connection is open. Pub/sub is not included.</summary>
    public bool IsConnected => Array.TrueForAll(_connections, static c => c.IsConnected);

    /// <summary>Parses <paramref name="configuration"/> and connects; see <see cref="RedisConnectionOptions.Parse"/>.</summary>
    /// <exception cref="FormatException">The configuration string is malformed.</exception>
    /// <exception cref="RedisConnectionException">Redis is unreachable or rejected the credentials.</exception>
    public static Task<RedisClient> ConnectAsync(string configuration, CancellationToken cancellationToken = default) =>
        ConnectAsync(RedisConnectionOptions.Parse(configuration), cancellationToken);

    /// <summary>
    /// Opens the command connections, authenticating and selecting the default database on each.
    /// Fails rather than retrying so that a node with a wrong address or password does not start.
    /// </summary>
    /// <exception cref="RedisConnectionException">Redis is unreachable or rejected the credentials.</exception>
    public static async Task<RedisClient> ConnectAsync(RedisConnectionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // A private copy: later changes to the caller's object must not affect a running client.
        var client = new RedisClient(Copy(options));
        try
        {
            await Task.WhenAll(client._connections.Select(c => c.StartAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return client;
    }

    /// <summary>
    /// Sends any command and returns its reply. Arguments are sent as bulk strings; see
    /// <see cref="RedisArgument"/> for the conversions.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The command would disturb the shared connection (SELECT, SUBSCRIBE, MULTI, blocking pops, ...).
    /// </exception>
    /// <exception cref="RedisServerException">Redis answered with an error.</exception>
    /// <exception cref="RedisConnectionException">The connection failed or could not be re-established in time.</exception>
    /// <exception cref="TimeoutException">No reply within the sync timeout.</exception>
    public ValueTask<RedisValue> ExecuteAsync(string command, params ReadOnlySpan<RedisArgument> arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        SharedConnectionGuard.ThrowIfRejected(command, arguments);
        return Send(command, arguments);
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <paramref name="channel"/> on the pub/sub connection, which is
    /// opened on first use. Messages reach the handler one at a time, in order. After a reconnect the channel
    /// is subscribed again automatically; messages published while disconnected are lost, as Redis pub/sub is
    /// at-most-once. Dispose the returned object to unsubscribe.
    /// </summary>
    /// <exception cref="RedisConnectionException">The pub/sub connection could not be opened or the SUBSCRIBE failed.</exception>
    public Task<IAsyncDisposable> SubscribeAsync(string channel, Func<string, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _subscriber.SubscribeAsync(channel, handler, cancellationToken);
    }

    /// <summary>
    /// Closes all connections. Commands still waiting for replies fail with <see cref="RedisConnectionException"/>;
    /// later calls throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _subscriber.DisposeAsync().ConfigureAwait(false);
        foreach (ReconnectingConnection connection in _connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Describes the client without its password.</summary>
    public override string ToString() => $"RedisClient({_options})";

    internal ValueTask<RedisValue> Send(string command, ReadOnlySpan<RedisArgument> arguments, bool returnErrorReplies = false)
    {
        var writer = new RespCommandWriter(TypicalCommandSize);
        try
        {
            writer.WriteArrayHeader(1 + arguments.Length);
            writer.WriteBulkString(command);
            foreach (ref readonly RedisArgument argument in arguments)
            {
                writer.WriteArgument(argument);
            }

            return Send(command, ref writer, returnErrorReplies);
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static RedisConnectionOptions Copy(RedisConnectionOptions options)
    {
        var copy = new RedisConnectionOptions
        {
            Host = options.Host,
            Port = options.Port,
            User = options.User,
            Password = options.Password,
            ConnectTimeout = options.ConnectTimeout,
            SyncTimeout = options.SyncTimeout,
            DefaultDatabase = options.DefaultDatabase,
            ConnectionCount = options.ConnectionCount,
            Log = options.Log,
        };
        copy.UnresponsiveTimeout = options.UnresponsiveTimeout;
        return copy;
    }

    private ValueTask<RedisValue> Send(string command, ref RespCommandWriter writer, bool returnErrorReplies)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ReconnectingConnection connection = _connections.Length == 1
            ? _connections[0]
            : _connections[Interlocked.Increment(ref _nextConnection) % (uint)_connections.Length];
        return connection.SendAsync(command, ref writer, returnErrorReplies);
    }

    // Typed helpers convert the reply in a pooled async state machine, keeping the hot path allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<long> ToInt64(ValueTask<RedisValue> reply) => (await reply.ConfigureAwait(false)).AsInt64();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> ToBoolean(ValueTask<RedisValue> reply) => (await reply.ConfigureAwait(false)).AsInt64() == 1;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<string?> ToText(ValueTask<RedisValue> reply) => (await reply.ConfigureAwait(false)).AsString();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<byte[]?> ToBytes(ValueTask<RedisValue> reply) => (await reply.ConfigureAwait(false)).AsBytes();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> ToOkOrNull(ValueTask<RedisValue> reply) => !(await reply.ConfigureAwait(false)).IsNull;
}
