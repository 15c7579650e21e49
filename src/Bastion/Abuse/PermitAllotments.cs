using System.Collections.Concurrent;
using Bastion.State;

namespace Bastion.Abuse;

/// <summary>
/// Rate-limit permits this node has already counted in the shared store and not yet spent, per counter. Far from a
/// limit a node takes a share of the room left at once (a sixteenth, at most <c>MaxLocalPermits</c>) and spends it
/// without a round trip; close to the limit every request asks the store for one permit, as with no allotments at
/// all. The store never counts past a limit, so no node can let through more than the limit together with the
/// others. The price is on the other side: permits one node holds are not available to the others until it spends
/// them or the window ends, so a client whose requests are spread over several nodes can be refused a few requests
/// before reaching the limit, and the <c>X-RateLimit-Remaining</c> a node reports leaves out what other nodes have
/// spent since it last asked.
/// </summary>
internal sealed class PermitAllotments(TimeProvider time, long maxPermits, int maxCounters = 100_000)
{
    // Taking at most this share of the room left keeps what idle nodes may hold small next to what is left.
    private const long RoomShare = 16;

    private readonly ConcurrentDictionary<string, Allotment> _allotments = new(StringComparer.Ordinal);
    private int _recordedSinceSweep;

    /// <summary>The counters with an allotment, spent or not (for tests and sizing).</summary>
    public int Count => _allotments.Count;

    /// <summary>Takes one permit of <paramref name="key"/> from this node's allotment; null when it has none left.</summary>
    public Allotment? TryTake(string key)
    {
        if (!_allotments.TryGetValue(key, out var allotment) || allotment.EndsAt <= time.GetUtcNow().UtcTicks)
        {
            return null;
        }

        return allotment.TryTake() ? allotment : null;
    }

    /// <summary>How many permits to ask the store for: one while the count is unknown or the limit is near.</summary>
    public long ToTake(CounterRule rule)
    {
        if (!_allotments.TryGetValue(rule.Key, out var allotment) || allotment.EndsAt <= time.GetUtcNow().UtcTicks)
        {
            return 1;
        }

        return Math.Clamp((rule.Limit - allotment.Count) / RoomShare, 1, maxPermits);
    }

    /// <summary>
    /// Keeps what the store granted beyond the one permit this request spends. Grants within one window add up;
    /// a grant from a new window replaces what was left of the old one, which ended with it.
    /// </summary>
    public void Record(string key, CounterState state)
    {
        var now = time.GetUtcNow().UtcTicks;
        var endsAt = now + state.ResetsIn.Ticks;
        var spare = Math.Max(0, state.Granted - 1);
        if (!_allotments.ContainsKey(key) && !HasRoom(now))
        {
            return;
        }

        while (true)
        {
            if (_allotments.TryGetValue(key, out var existing))
            {
                // One window's grants all report the same end (give or take the round trip); a new window ends at
                // least one window length later.
                if (existing.EndsAt > now && Math.Abs(existing.EndsAt - endsAt) < TimeSpan.TicksPerSecond)
                {
                    existing.Add(spare, state.Count);
                    return;
                }

                if (_allotments.TryUpdate(key, new Allotment(spare, state.Count, endsAt), existing))
                {
                    return;
                }
            }
            else if (_allotments.TryAdd(key, new Allotment(spare, state.Count, endsAt)))
            {
                return;
            }
        }
    }

    // Allotments end with their windows; the dictionary is swept now and then, and when it is full new counters
    // simply get none (every request for them asks the store), so memory stays bounded whatever the traffic.
    private bool HasRoom(long now)
    {
        if (Interlocked.Increment(ref _recordedSinceSweep) >= 4096 || _allotments.Count >= maxCounters)
        {
            Interlocked.Exchange(ref _recordedSinceSweep, 0);
            foreach (var (key, allotment) in _allotments)
            {
                if (allotment.EndsAt <= now)
                {
                    _allotments.TryRemove(new KeyValuePair<string, Allotment>(key, allotment));
                }
            }
        }

        return _allotments.Count < maxCounters;
    }

    /// <summary>One counter's unspent permits, the store's count when it last granted some, and the window's end.</summary>
    internal sealed class Allotment(long available, long count, long endsAt)
    {
        private long _available = available;
        private long _count = count;

        /// <summary>End of the window, in UTC ticks.</summary>
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
