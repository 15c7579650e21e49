using System.Collections.Concurrent;
using Bastion.Redis.Tests.Infrastructure;

namespace Bastion.Redis.Tests.Integration;

public sealed class PubSubTests : IClassFixture<PasswordProtectedServerFixture>
{
    private readonly PasswordProtectedServerFixture _fixture;

    public PubSubTests(PasswordProtectedServerFixture fixture) => _fixture = fixture;

    private RedisClient Client => _fixture.Client;

    [Fact]
    public async Task Subscribe_PublishedMessages_ReachHandlerInOrder()
    {
        string channel = NewChannel();
        var received = new ConcurrentQueue<string>();
        await using IAsyncDisposable subscription = await Client.SubscribeAsync(channel, message =>
        {
            received.Enqueue(message);
            return ValueTask.CompletedTask;
        });

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(1, await Client.PublishAsync(channel, $"m{i}"));
        }

        await Eventually.TrueAsync(() => received.Count == 100, "all 100 messages arrive");
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"m{i}"), received);
    }

    [Fact]
    public async Task Subscribe_TwoHandlersOnOneChannel_BothReceive_AndDisposingOneKeepsTheOther()
    {
        string channel = NewChannel();
        var first = new ConcurrentQueue<string>();
        var second = new ConcurrentQueue<string>();
        IAsyncDisposable firstSubscription = await Client.SubscribeAsync(channel, Collect(first));
        IAsyncDisposable secondSubscription = await Client.SubscribeAsync(channel, Collect(second));

        await Client.PublishAsync(channel, "both");
        await Eventually.TrueAsync(() => first.Count == 1 && second.Count == 1, "both handlers receive the message");
        await firstSubscription.DisposeAsync();
        await Client.PublishAsync(channel, "second only");
        await Eventually.TrueAsync(() => second.Count == 2, "the remaining handler receives the next message");
        await secondSubscription.DisposeAsync();

        Assert.Equal(["both"], first);
        Assert.Equal(0, await Client.PublishAsync(channel, "nobody"));
    }

    [Fact]
    public async Task Subscribe_HandlerThrows_LaterMessagesAreStillDelivered()
    {
        string channel = NewChannel();
        var received = new ConcurrentQueue<string>();
        await using IAsyncDisposable subscription = await Client.SubscribeAsync(channel, message =>
        {
            received.Enqueue(message);
            return message == "bad" ? throw new InvalidOperationException("handler bug") : ValueTask.CompletedTask;
        });

        await Client.PublishAsync(channel, "bad");
        await Client.PublishAsync(channel, "good");

        await Eventually.TrueAsync(() => received.Count == 2, "the message after the failing one arrives");
    }

    [Fact]
    public async Task Subscribe_SlowHandler_DoesNotDelayCommandsOrOtherChannels()
    {
        string slowChannel = NewChannel();
        string fastChannel = NewChannel();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fast = new ConcurrentQueue<string>();
        await using IAsyncDisposable slow = await Client.SubscribeAsync(slowChannel, async _ => await release.Task);
        await using IAsyncDisposable quick = await Client.SubscribeAsync(fastChannel, Collect(fast));

        await Client.PublishAsync(slowChannel, "blocks");
        await Client.PublishAsync(fastChannel, "flows");

        await Eventually.TrueAsync(() => fast.Count == 1, "the other channel's message arrives while a handler is blocked");
        release.SetResult();
    }

    [Fact]
    public async Task Dispose_Subscription_StopsDeliveryAndUnsubscribes()
    {
        string channel = NewChannel();
        var received = new ConcurrentQueue<string>();
        IAsyncDisposable subscription = await Client.SubscribeAsync(channel, Collect(received));

        await subscription.DisposeAsync();

        Assert.Equal(0, await Client.PublishAsync(channel, "after"));
        await Task.Delay(50);
        Assert.Empty(received);
    }

    private static Func<string, ValueTask> Collect(ConcurrentQueue<string> into) => message =>
    {
        into.Enqueue(message);
        return ValueTask.CompletedTask;
    };

    private static string NewChannel() => $"channel:{Guid.NewGuid():N}";
}
