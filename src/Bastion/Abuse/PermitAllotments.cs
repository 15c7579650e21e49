using System.Collections.Concurrent;
using Bastion.State;

namespace Bastion.Abuse;

/// <summary>
/// Rate-limit permits this node has already counted in the shared store and not yet spent, per counter. A node
/// asks the store for up to <c>MaxLocalPermits</c> at once; the store grants at most a sixteenth of the room left
/// (<see cref="CounterRule.Grant"/>), so far from a limit a node spends most permits without a round trip, and near
/// it every request asks for one, as with no allotments at all. The store never counts past a limit, so no node can
/// let through more than the limit together with the others. The price is on the other side: permits one node
/// holds are not available to the others until it spends them or the window ends, so a client whose requests are
/// spread over several nodes can be refused a few requests before reaching the limit, and the
/// <c>X-RateLimit-Remaining</c> a node reports leaves out what other nodes have spent since it last asked.
/// </summary>
internal sealed class PermitAllotments(TimeProvider time, int maxCounters = 100_000)
{
    private readonly ConcurrentDictionary<string, Allotment> _allotments = new(StringComparer.Ordinal);
    private int _counters;
    private int _recordedSinceSweep;
    private long _lastSweep = long.MinValue;

    /// <summary>The counters this node holds an allotment for, spent or not.</summary>
    public int Count => Volatile.Read(ref _counters);

    /// <summary>Takes one permit of <paramref name="key"/> from this node's allotment; null when it has none left.</summary>
    public Allotment? TryTake(string key)
        => _allotments.TryGetValue(key, out var allotment) && allotment.EndsAt > time.GetTimestamp() && allotment.TryTake() ? allotment : null;

    /// <summary>The time left until <paramref name="allotment"/>'s window ends.</summary>
    public TimeSpan TimeLeft(Allotment allotment) => time.GetElapsedTime(time.GetTimestamp(), allotment.EndsAt);

    /// <summary>
    /// Keeps what the store granted beyond the one permit this request spends. The window is taken to end
    /// <see cref="CounterState.ResetsIn"/> after <paramref name="askedAt"/> (a <see cref="TimeProvider.GetTimestamp"/>
    /// taken before asking), never later than the store's. Grants within one window add up; a grant from a newer
    /// window replaces what was left of the old one, which ended with it; a late answer from an older one is dropped.
    /// </summary>
    public void Record(string key, CounterState state, long askedAt)
    {
        var spare = state.Granted - 1;
        if (spare <= 0)
        {
            return;
        }

        var now = time.GetTimestamp();
        var endsAt = askedAt + (long)(state.ResetsIn.Ticks * (double)time.TimestampFrequency / TimeSpan.TicksPerSecond);
        var fresh = new Allotment(spare, state.Count, endsAt);
        while (true)
        {
            if (_allotments.TryGetValue(key, out var existing))
            {
                // One window's grants all report the same end, give or take the round trip; another window's end is
                // at least a window length away.
                if (existing.EndsAt > now && Math.Abs(existing.EndsAt - endsAt) < time.TimestampFrequency)
                {
                    existing.Add(spare, state.Count);
                    return;
                }

                if (existing.EndsAt > now && existing.EndsAt > endsAt)
                {
                    return;
                }

                if (_allotments.TryUpdate(key, fresh, existing))
                {
                    return;
                }
            }
            else
            {
                if (!HasRoom(now))
                {
                    return;
                }

                if (_allotments.TryAdd(key, fresh))
                {
                    Interlocked.Increment(ref _counters);
                    return;
                }
            }
        }
    }

    // Allotments end with their windows. Ended ones are swept out now and then (at most once a second, so that a
    // full dictionary does not make every request walk it), and while it is full new counters get none: every
    // request for them asks the store. Memory stays bounded whatever the traffic.
    private bool HasRoom(long now)
    {
        var full = Volatile.Read(ref _counters) >= maxCounters;
        var last = Interlocked.Read(ref _lastSweep);
        if ((full || Interlocked.Increment(ref _recordedSinceSweep) >= 4096)
            && (last == long.MinValue || time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1))
            && Interlocked.CompareExchange(ref _lastSweep, now, last) == last)
        {
            Interlocked.Exchange(ref _recordedSinceSweep, 0);
            foreach (var (key, allotment) in _allotments)
            {
                if (allotment.EndsAt <= now && _allotments.TryRemove(new KeyValuePair<string, Allotment>(key, allotment)))
                {
                    Interlocked.Decrement(ref _counters);
                }
            }
        }

        return Volatile.Read(ref _counters) < maxCounters;
    }

    /// <summary>One counter's unspent permits, the store's count when it last granted some, and the window's end.</summary>
    internal sealed class Allotment(long available, long count, long endsAt)
    {
        private long _available = available;
        private long _count = count;

        /// <summary>End of the window, as a <see cref="TimeProvider.GetTimestamp"/> value.</summary>
        public long EndsAt { get; } = endsAt;

        /// <summary>The store's count at the last grant (every permit granted so far, spent or not).</summary>
        public long Count => Volatile.Read(ref _count);

        public long Available => Volatile.Read(ref _available);

        /// <summary>Hits this node knows of: the store's count less what it still holds unspent.</summary>
        public long Spent => Count - Available;

        // Compare-and-swap rather than decrement-then-undo: the count never dips below zero, even for a moment, so a
        // concurrent Add cannot turn an undo into a permit that the store never granted.
        public bool TryTake()
        {
            var current = Volatile.Read(ref _available);
            while (current > 0)
            {
                var seen = Interlocked.CompareExchange(ref _available, current - 1, current);
                if (seen == current)
                {
                    return true;
                }

                current = seen;
            }

            return false;
        }

        /// <summary>Gives back a permit taken for a request that was then refused by another rule.</summary>
        public void Return() => Interlocked.Increment(ref _available);

        public void Add(long permits, long count)
        {
            Interlocked.Add(ref _available, permits);
            long seen;
            do
            {
                seen = Volatile.Read(ref _count);
            }
            while (count > seen && Interlocked.CompareExchange(ref _count, count, seen) != seen);
        }
    }
}
