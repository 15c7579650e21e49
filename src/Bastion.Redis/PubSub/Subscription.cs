using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Bastion.Redis.PubSub;

/// <summary>
/// One handler subscribed to one channel. Messages are queued and handed to the handler one at a time, in
/// the order Redis delivered them, on a thread-pool task of their own, so a slow handler never holds up
/// the connection's reader or other subscriptions.
/// </summary>
internal sealed class Subscription : IAsyncDisposable
{
    // Unbounded: pub/sub messages here are small, rare control messages (revocations) and dropping one is
    // worse than buffering a burst; Redis itself disconnects a subscriber that falls far behind.
    private readonly Channel<string> _messages = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SubscriberConnection _owner;
    private readonly Func<string, ValueTask> _handler;
    private readonly RedisConnectionOptions _options;
    private int _disposed;

    public Subscription(SubscriberConnection owner, string channel, Func<string, ValueTask> handler, RedisConnectionOptions options)
    {
        _owner = owner;
        Channel = channel;
        _handler = handler;
        _options = options;
        _ = Task.Run(PumpAsync);
    }

    public string Channel { get; }

    public void Deliver(string message) => _messages.Writer.TryWrite(message);

    /// <summary>Stops delivery and unsubscribes when this was the channel's last handler.</summary>
    /// <remarks>A handler invocation already running is not awaited, so a handler may dispose its own subscription.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close();
        await _owner.RemoveAsync(this).ConfigureAwait(false);
    }

    /// <summary>Stops delivery without talking to Redis, for client shutdown and failed subscribes.</summary>
    internal void Close()
    {
        Volatile.Write(ref _disposed, 1);
        _messages.Writer.TryComplete();
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "A failing handler must not end delivery of later messages; the failure is logged.")]
    private async Task PumpAsync()
    {
        await foreach (string message in _messages.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            try
            {
                await _handler(message).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                _options.WriteLog($"Redis subscription handler for channel '{Channel}' failed: {exception.GetType().Name}: {exception.Message}");
            }
        }
    }
}
