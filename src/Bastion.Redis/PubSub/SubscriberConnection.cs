using System.Text;
using Bastion.Redis.Connections;
using Bastion.Redis.Protocol;

namespace Bastion.Redis.PubSub;

/// <summary>
/// The dedicated pub/sub connection. In RESP2 a subscribed connection only accepts (UN)SUBSCRIBE and PING
/// and receives <c>["message", channel, payload]</c> arrays at any time
/// (https://redis.io/docs/latest/develop/interact/pubsub/#wire-protocol-example), so it cannot share the
/// command connection. Opened on the first subscription; every reconnect subscribes to all current channels
/// again as part of its handshake.
/// </summary>
internal sealed class SubscriberConnection : IAsyncDisposable
{
    private static readonly byte[] MessageKind = "message"u8.ToArray();

    private readonly object _gate = new();
    private readonly Dictionary<string, Subscription[]> _byChannel = new(StringComparer.Ordinal);

    // Serialises SUBSCRIBE/UNSUBSCRIBE on the wire so that a subscribe and an unsubscribe of the same channel
    // cannot overtake each other. The reconnect handshake does not take it: it snapshots the channel set.
    private readonly SemaphoreSlim _wireGate = new(1, 1);
    private readonly RedisConnectionOptions _options;
    private readonly ReconnectingConnection _connection;
    private bool _started;

    public SubscriberConnection(RedisConnectionOptions options)
    {
        _options = options;
        _connection = new ReconnectingConnection(options, "subscriber connection", HandshakeAsync, TryDispatch);
    }

    public bool IsConnected => _connection.IsConnected;

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Func<string, ValueTask> handler, CancellationToken cancellationToken)
    {
        await _wireGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_started)
            {
                await _connection.StartAsync(cancellationToken).ConfigureAwait(false);
                _started = true;
            }

            var subscription = new Subscription(this, channel, handler, _options);
            bool firstForChannel = Add(subscription);
            if (firstForChannel)
            {
                try
                {
                    await SendAsync("SUBSCRIBE", channel).ConfigureAwait(false);
                }
                catch
                {
                    Remove(subscription);
                    subscription.Close();
                    throw;
                }
            }

            return subscription;
        }
        finally
        {
            _wireGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Subscription[] all;
        lock (_gate)
        {
            all = [.. _byChannel.Values.SelectMany(static list => list)];
            _byChannel.Clear();
        }

        foreach (Subscription subscription in all)
        {
            subscription.Close();
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    internal async ValueTask RemoveAsync(Subscription subscription)
    {
        await _wireGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Remove(subscription) && _connection.IsConnected)
            {
                // Best effort: if the connection drops first, the reconnect no longer subscribes to the channel.
                try
                {
                    await SendAsync("UNSUBSCRIBE", subscription.Channel).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is RedisConnectionException or TimeoutException or ObjectDisposedException)
                {
                    _options.WriteLog($"Redis UNSUBSCRIBE from '{subscription.Channel}' not confirmed: {exception.Message}");
                }
            }
        }
        finally
        {
            _wireGate.Release();
        }
    }

    private Task HandshakeAsync(PhysicalConnection connection)
    {
        string[] channels;
        lock (_gate)
        {
            channels = [.. _byChannel.Keys];
        }

        return Handshake.RunAsync(connection, _options, channels);
    }

    private bool Add(Subscription subscription)
    {
        lock (_gate)
        {
            if (_byChannel.TryGetValue(subscription.Channel, out Subscription[]? existing))
            {
                _byChannel[subscription.Channel] = [.. existing, subscription];
                return false;
            }

            _byChannel[subscription.Channel] = [subscription];
            return true;
        }
    }

    /// <returns>True when the channel has no handler left.</returns>
    private bool Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_byChannel.TryGetValue(subscription.Channel, out Subscription[]? existing))
            {
                return false;
            }

            Subscription[] remaining = [.. existing.Where(s => !ReferenceEquals(s, subscription))];
            if (remaining.Length > 0)
            {
                _byChannel[subscription.Channel] = remaining;
                return false;
            }

            _byChannel.Remove(subscription.Channel);
            return true;
        }
    }

    private ValueTask<RedisValue> SendAsync(string command, string channel)
    {
        var writer = new RespCommandWriter(64 + (channel.Length * 3));
        try
        {
            writer.WriteArrayHeader(2);
            writer.WriteBulkString(command);
            writer.WriteBulkString(channel);
            return _connection.SendAsync(command, ref writer);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Runs on the reader loop: hands a published message to the channel's handlers, never blocking.</summary>
    private bool TryDispatch(RedisValue reply)
    {
        if (reply.Kind != RedisValueKind.Array)
        {
            return false;
        }

        RedisValue[] parts = reply.AsArray()!;
        if (parts.Length != 3 || parts[0].Kind != RedisValueKind.BulkString || !parts[0].AsBytes().AsSpan().SequenceEqual(MessageKind))
        {
            return false;
        }

        string channel = parts[1].AsString() ?? string.Empty;
        Subscription[]? targets;
        lock (_gate)
        {
            _byChannel.TryGetValue(channel, out targets);
        }

        if (targets is not null)
        {
            string message = parts[2].IsNull ? string.Empty : Encoding.UTF8.GetString(parts[2].AsBytes()!);
            foreach (Subscription target in targets)
            {
                target.Deliver(message);
            }
        }

        return true;
    }
}
