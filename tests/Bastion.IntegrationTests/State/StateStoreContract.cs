using System.Text;
using Bastion.State;

namespace Bastion.IntegrationTests.State;

/// <summary>
/// What every state store must do, run against each implementation: the memory store is the reference a
/// single node uses, the Redis store must behave the same for every node at once.
/// </summary>
public abstract class StateStoreContract : IAsyncLifetime
{
    private readonly string _prefix = $"contract:{Guid.NewGuid():N}:";

    protected IStateStore Store { get; private set; } = null!;

    protected abstract Task<IStateStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected string Key(string name) => _prefix + name;

    [Fact]
    public async Task Set_ThenGet_ReturnsTheBytes_UntilDeleted()
    {
        await Store.SetAsync(Key("a"), "value"u8.ToArray(), TimeSpan.FromMinutes(1));
        Assert.Equal("value", Encoding.UTF8.GetString((await Store.GetAsync(Key("a")))!));

        Assert.True(await Store.DeleteAsync(Key("a")));
        Assert.Null(await Store.GetAsync(Key("a")));
        Assert.False(await Store.DeleteAsync(Key("a")));
    }

    [Fact]
    public async Task Set_WithShortTimeToLive_Expires()
    {
        await Store.SetAsync(Key("short"), "x"u8.ToArray(), TimeSpan.FromMilliseconds(150));
        var ttl = await Store.GetTimeToLiveAsync(Key("short"));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.Zero, TimeSpan.FromMilliseconds(150));

        await Task.Delay(400);
        Assert.Null(await Store.GetAsync(Key("short")));
        Assert.Null(await Store.GetTimeToLiveAsync(Key("short")));
    }

    [Fact]
    public async Task SetIfAbsent_ConcurrentCallers_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Store.SetIfAbsentAsync(Key("once"), Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromMinutes(1)).AsTask()));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Increment_ConcurrentCallers_CountExactly_AndKeepTheFirstWindow()
    {
        var values = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Store.IncrementAsync(Key("counter"), 1, TimeSpan.FromMinutes(1)).AsTask()));

        Assert.Equal(Enumerable.Range(1, 200).Select(v => (long)v), values.Order());
        var ttl = await Store.GetTimeToLiveAsync(Key("counter"));
        Assert.NotNull(ttl);
        Assert.True(ttl > TimeSpan.FromSeconds(50));
    }

    [Fact]
    public async Task Release_ConcurrentCallers_NeverGoBelowZero_KeepTheWindow_AndCreateNothing()
    {
        await Store.IncrementAsync(Key("held"), 5, TimeSpan.FromMinutes(1));
        var values = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Store.ReleaseAsync(Key("held")).AsTask()));

        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4], values.Order());
        Assert.True(await Store.GetTimeToLiveAsync(Key("held")) > TimeSpan.FromSeconds(50));
        Assert.Equal(0, await Store.ReleaseAsync(Key("never-counted")));
        Assert.Null(await Store.GetTimeToLiveAsync(Key("never-counted")));
    }

    [Fact]
    public async Task Sets_AddRemoveAndList()
    {
        await Store.SetAddAsync(Key("set"), "a", TimeSpan.FromMinutes(1));
        await Store.SetAddAsync(Key("set"), "b", TimeSpan.FromMinutes(1));
        await Store.SetAddAsync(Key("set"), "a", TimeSpan.FromMinutes(1));

        Assert.Equal(["a", "b"], (await Store.SetMembersAsync(Key("set"))).Order());
        Assert.True(await Store.SetRemoveAsync(Key("set"), "a"));
        Assert.False(await Store.SetRemoveAsync(Key("set"), "a"));
        Assert.Equal(["b"], await Store.SetMembersAsync(Key("set")));
        Assert.Empty(await Store.SetMembersAsync(Key("absent")));
    }

    [Fact]
    public async Task SlidingWindow_ConcurrentHits_AllowExactlyTheLimit()
    {
        var now = DateTimeOffset.UtcNow;
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            Store.SlidingWindowHitAsync(Key("window"), TimeSpan.FromMinutes(1), 10, now).AsTask()));

        Assert.Equal(10, results.Count(r => r.Allowed));
        Assert.All(results.Where(r => !r.Allowed), r => Assert.InRange(r.RetryAfter, TimeSpan.FromSeconds(59), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task SlidingWindow_ForgetsHitsOlderThanTheWindow()
    {
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Store.SlidingWindowHitAsync(Key("slide"), TimeSpan.FromSeconds(10), 3, start.AddSeconds(i))).Allowed);
        }

        Assert.False((await Store.SlidingWindowHitAsync(Key("slide"), TimeSpan.FromSeconds(10), 3, start.AddSeconds(9))).Allowed);
        var later = await Store.SlidingWindowHitAsync(Key("slide"), TimeSpan.FromSeconds(10), 3, start.AddSeconds(10.5));
        Assert.True(later.Allowed);
        Assert.Equal(3, later.Count);
    }

    [Fact]
    public async Task HitCounters_UnderConcurrency_CountAllOrNothingAndAllowExactlyTheTightestLimit()
    {
        CounterRule[] rules = [new(Key("minute"), 7, TimeSpan.FromMinutes(1)), new(Key("hour"), 100, TimeSpan.FromHours(1))];

        var decisions = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Store.HitCountersAsync(rules).AsTask()));

        Assert.Equal(7, decisions.Count(d => d.Allowed));
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.Equal(0, d.RefusedBy));
        // Refused hits were not counted against the other rule either.
        var next = await Store.HitCountersAsync([new(Key("hour"), 100, TimeSpan.FromHours(1))]);
        Assert.Equal(8, next.Counters[0].Count);
        Assert.InRange(next.Counters[0].ResetsIn, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task HitCounters_TakeSeveralHitsAtOnce_AtMostASixteenthOfTheRoomLeft_AndNeverPastTheLimit()
    {
        CounterRule rule = new(Key("batch"), 100, TimeSpan.FromMinutes(1), Take: 8);

        var granted = new List<long>();
        CounterDecision decision;
        while ((decision = await Store.HitCountersAsync([rule])).Allowed)
        {
            var before = granted.Sum();
            granted.Add(decision.Counters[0].Granted);
            Assert.Equal(Math.Min(8, Math.Max(1, (100 - before) / 16)), decision.Counters[0].Granted);
            Assert.Equal(granted.Sum(), decision.Counters[0].Count);
        }

        Assert.Equal(6, granted[0]);                                                 // 100 / 16
        Assert.Equal(1, granted[^1]);                                                // near the limit, one at a time
        Assert.Equal(100, decision.Counters[0].Count);
        Assert.Equal(0, decision.Counters[0].Granted);
    }

    [Fact]
    public async Task HitCounters_UnderConcurrency_GrantExactlyTheLimitWhenTakingSeveral()
    {
        CounterRule[] rules = [new(Key("many"), 50, TimeSpan.FromMinutes(1), Take: 3), new(Key("wide"), 1000, TimeSpan.FromHours(1), Take: 5)];

        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Store.HitCountersAsync(rules).AsTask()));

        Assert.Equal(50, decisions.Where(d => d.Allowed).Sum(d => d.Counters[0].Granted));
        Assert.Equal(decisions.Count(d => d.Allowed) * 5, decisions.Where(d => d.Allowed).Sum(d => d.Counters[1].Granted));
    }

    [Fact]
    public async Task HitCounters_StartANewWindowWhenTheOldOneEnds()
    {
        CounterRule[] rules = [new(Key("short"), 1, TimeSpan.FromMilliseconds(200))];
        Assert.True((await Store.HitCountersAsync(rules)).Allowed);
        Assert.False((await Store.HitCountersAsync(rules)).Allowed);

        await Task.Delay(400);

        Assert.True((await Store.HitCountersAsync(rules)).Allowed);
    }

    [Fact]
    public async Task Replace_WritesOnlyAKeyThatStillExists()
    {
        Assert.False(await Store.ReplaceAsync(Key("gone"), "new"u8.ToArray(), TimeSpan.FromMinutes(1)));
        Assert.Null(await Store.GetAsync(Key("gone")));

        await Store.SetAsync(Key("here"), "old"u8.ToArray(), TimeSpan.FromMinutes(1));
        Assert.True(await Store.ReplaceAsync(Key("here"), "new"u8.ToArray(), TimeSpan.FromMinutes(1)));
        Assert.Equal("new", Encoding.UTF8.GetString((await Store.GetAsync(Key("here")))!));

        await Store.DeleteAsync(Key("here"));
        Assert.False(await Store.ReplaceAsync(Key("here"), "again"u8.ToArray(), TimeSpan.FromMinutes(1)));
        Assert.Null(await Store.GetAsync(Key("here")));
    }

    [Fact]
    public async Task Publish_ReachesEverySubscriberUntilDisposed()
    {
        var first = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var second = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var firstSubscription = await Store.SubscribeAsync(Key("channel"), message =>
        {
            first.Enqueue(message);
            return ValueTask.CompletedTask;
        });
        await using var secondSubscription = await Store.SubscribeAsync(Key("channel"), message =>
        {
            second.Enqueue(message);
            return ValueTask.CompletedTask;
        });

        // A subscription may take a moment to be active on the server; publish until both have heard.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while ((first.IsEmpty || second.IsEmpty) && !timeout.IsCancellationRequested)
        {
            await Store.PublishAsync(Key("channel"), "hello");
            await Task.Delay(50);
        }

        Assert.Contains("hello", first);
        Assert.Contains("hello", second);

        await firstSubscription.DisposeAsync();
        var heardBefore = first.Count;
        var secondBefore = second.Count;
        await Store.PublishAsync(Key("channel"), "after");
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!second.Contains("after") && !wait.IsCancellationRequested)
        {
            await Task.Delay(20);
        }

        Assert.Contains("after", second);
        Assert.True(second.Count > secondBefore);
        Assert.Equal(heardBefore, first.Count);
    }
}

public sealed class MemoryStateStoreTests : StateStoreContract
{
    protected override Task<IStateStore> CreateStoreAsync() => Task.FromResult<IStateStore>(new MemoryStateStore(TimeProvider.System));
}
