namespace Bastion.State;

/// <summary>
/// The small set of shared, expiring primitives that every piece of ephemeral security state is built on
/// (sessions, revocations, counters, blocks). One implementation lives in process; the Redis one is shared by
/// every node, so a value written on one node is seen by all.
/// </summary>
public interface IStateStore
{
    /// <summary>Returns the value stored under <paramref name="key"/>, or null when absent or expired.</summary>
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> for <paramref name="timeToLive"/>.</summary>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Stores the value only when the key is absent; true when this call stored it.</summary>
    ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the value only when the key still exists; true when this call wrote it. An update of something
    /// another node may have deleted meanwhile (a revoked session) must never bring it back.
    /// </summary>
    ValueTask<bool> ReplaceAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Removes the key; true when it existed.</summary>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically adds <paramref name="delta"/> to the counter under <paramref name="key"/> and returns the new value.
    /// The time to live is set when the counter is created and is not extended by later increments (a fixed window).
    /// </summary>
    ValueTask<long> IncrementAsync(string key, long delta, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives back one hit counted on a counter: atomically subtracts one when the counter exists and is above zero,
    /// keeping its window; an absent counter stays absent. Returns the count afterwards (0 when absent).
    /// </summary>
    ValueTask<long> ReleaseAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The remaining time to live of a key, or null when the key is absent.</summary>
    ValueTask<TimeSpan?> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Adds a member to the set under <paramref name="key"/> and (re)sets the set's time to live.</summary>
    ValueTask SetAddAsync(string key, string member, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Removes a member from a set; true when it was a member.</summary>
    ValueTask<bool> SetRemoveAsync(string key, string member, CancellationToken cancellationToken = default);

    /// <summary>The members of a set (empty when absent).</summary>
    ValueTask<IReadOnlyCollection<string>> SetMembersAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sliding-window counting: atomically drops events older than <paramref name="window"/>, and when fewer than
    /// <paramref name="limit"/> remain records one at <paramref name="now"/>. Returns whether the event was recorded
    /// and how many events the window holds afterwards, so exactly <paramref name="limit"/> concurrent callers win.
    /// </summary>
    ValueTask<SlidingWindowResult> SlidingWindowHitAsync(string key, TimeSpan window, long limit, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fixed-window counters checked and counted together, atomically: when every rule still has room, each counter
    /// is incremented by what its rule takes, within the room left (a new counter's window starts now); when any
    /// rule is full, nothing is counted and the full rule is reported. One round trip however many rules apply,
    /// and exactly <c>Limit</c> hits are counted however many callers race.
    /// </summary>
    ValueTask<CounterDecision> HitCountersAsync(IReadOnlyList<CounterRule> rules, CancellationToken cancellationToken = default);

    /// <summary>Publishes a message to every subscriber of <paramref name="channel"/> on every node.</summary>
    ValueTask PublishAsync(string channel, string message, CancellationToken cancellationToken = default);

    /// <summary>Subscribes to <paramref name="channel"/>; dispose the result to unsubscribe.</summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Func<string, ValueTask> handler, CancellationToken cancellationToken = default);

    /// <summary>A cheap round trip used by the readiness check.</summary>
    ValueTask PingAsync(CancellationToken cancellationToken = default);
}

/// <summary>The outcome of <see cref="IStateStore.SlidingWindowHitAsync"/>.</summary>
/// <param name="Allowed">Whether the event was recorded (the window held fewer than the limit).</param>
/// <param name="Count">Events in the window after the call.</param>
/// <param name="RetryAfter">When refused, the time until the oldest event leaves the window.</param>
public readonly record struct SlidingWindowResult(bool Allowed, long Count, TimeSpan RetryAfter);

/// <summary>
/// A counter for <see cref="IStateStore.HitCountersAsync"/>: at most <paramref name="Limit"/> hits per
/// <paramref name="Window"/>. A call counts up to <paramref name="Take"/> hits at once, for a caller that spends
/// the extra ones itself later, but never more than a sixteenth of the room left (always at least one), so that
/// near the limit every call counts one.
/// </summary>
public readonly record struct CounterRule(string Key, long Limit, TimeSpan Window, long Take = 1)
{
    /// <summary>The share of the room left that one call may count at most (1/16).</summary>
    public const long RoomShare = 16;

    /// <summary>How many hits a call counts when <paramref name="count"/> are counted already.</summary>
    public long Grant(long count) => Math.Min(Math.Max(1, Take), Math.Max(1, (Limit - count) / RoomShare));
}

/// <summary>
/// The state of one counter after <see cref="IStateStore.HitCountersAsync"/>: its count, the time until its window
/// ends, and how many hits this call counted on it (0 when the call was refused).
/// </summary>
public readonly record struct CounterState(long Count, TimeSpan ResetsIn, long Granted = 0);

/// <summary>
/// The outcome of <see cref="IStateStore.HitCountersAsync"/>: whether the hit was counted, which rule refused it
/// (index into the rules, or -1), and every counter's state in rule order.
/// </summary>
public sealed record CounterDecision(bool Allowed, int RefusedBy, IReadOnlyList<CounterState> Counters);
