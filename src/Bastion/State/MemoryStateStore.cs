using System.Collections.Concurrent;

namespace Bastion.State;

/// <summary>
/// The single-node state store. Entries carry their own expiry and are dropped lazily on read and by a periodic
/// sweep. Operations on one key are atomic (a lock per entry), which is what the Redis store gives per command.
/// </summary>
internal sealed class MemoryStateStore : IStateStore, IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableHandlers> _subscribers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private readonly Lock _countersLock = new();

    public MemoryStateStore(TimeProvider time)
    {
        _time = time;
        _sweeper = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(TryGetLive(key, out var entry) ? entry.Read(e => e.Value as byte[]) : null);

    public ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        _entries[key] = new Entry(value.ToArray(), Now + timeToLive);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var candidate = new Entry(value.ToArray(), Now + timeToLive);
        while (true)
        {
            var current = _entries.GetOrAdd(key, candidate);
            if (ReferenceEquals(current, candidate))
            {
                return ValueTask.FromResult(true);
            }

            if (!current.IsExpired(Now))
            {
                return ValueTask.FromResult(false);
            }

            if (_entries.TryUpdate(key, candidate, current))
            {
                return ValueTask.FromResult(true);
            }
        }
    }

    public ValueTask<bool> ReplaceAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        while (_entries.TryGetValue(key, out var current) && !current.IsExpired(Now))
        {
            if (_entries.TryUpdate(key, new Entry(value.ToArray(), Now + timeToLive), current))
            {
                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_entries.TryRemove(key, out var entry) && !entry.IsExpired(Now));

    public ValueTask<long> IncrementAsync(string key, long delta, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var entry = GetOrCreate(key, () => 0L, timeToLive);
        return ValueTask.FromResult(entry.Update(e =>
        {
            var value = (long)e.Value! + delta;
            e.Value = value;
            return value;
        }));
    }

    public ValueTask<long> ReleaseAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(TryGetLive(key, out var entry) ? entry.Update(e =>
        {
            var value = Math.Max(0, (long)e.Value! - 1);
            e.Value = value;
            return value;
        }) : 0);

    public ValueTask<TimeSpan?> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<TimeSpan?>(TryGetLive(key, out var entry) ? entry.Read(e => e.ExpiresAt) - Now : null);

    public ValueTask SetAddAsync(string key, string member, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var entry = GetOrCreate(key, () => new HashSet<string>(StringComparer.Ordinal), timeToLive);
        entry.Update(e =>
        {
            ((HashSet<string>)e.Value!).Add(member);
            e.ExpiresAt = Now + timeToLive;
            return 0;
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> SetRemoveAsync(string key, string member, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(TryGetLive(key, out var entry) && entry.Update(e => ((HashSet<string>)e.Value!).Remove(member)));

    public ValueTask<IReadOnlyCollection<string>> SetMembersAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IReadOnlyCollection<string>>(TryGetLive(key, out var entry)
            ? entry.Read(e => ((HashSet<string>)e.Value!).ToArray())
            : []);

    public ValueTask<SlidingWindowResult> SlidingWindowHitAsync(string key, TimeSpan window, long limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var entry = GetOrCreate(key, () => new Queue<DateTimeOffset>(), window);
        var result = entry.Update(e =>
        {
            var hits = (Queue<DateTimeOffset>)e.Value!;
            while (hits.Count > 0 && hits.Peek() <= now - window)
            {
                hits.Dequeue();
            }

            e.ExpiresAt = now + window;
            if (hits.Count >= limit)
            {
                return new SlidingWindowResult(false, hits.Count, hits.Peek() + window - now);
            }

            hits.Enqueue(now);
            return new SlidingWindowResult(true, hits.Count, TimeSpan.Zero);
        });
        return ValueTask.FromResult(result);
    }

    public ValueTask<CounterDecision> HitCountersAsync(IReadOnlyList<CounterRule> rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);

        // Check-then-count must be one step across several keys; a single lock keeps it simple and exact.
        lock (_countersLock)
        {
            var now = Now;
            var entries = rules.Select(rule => GetOrCreate(rule.Key, () => 0L, rule.Window)).ToList();
            var states = entries.Select(entry => entry.Read(e => new CounterState((long)e.Value!, e.ExpiresAt - now))).ToList();
            for (var i = 0; i < rules.Count; i++)
            {
                if (states[i].Count >= rules[i].Limit)
                {
                    return ValueTask.FromResult(new CounterDecision(false, i, states));
                }
            }

            var counted = entries.Select((entry, i) => entry.Update(e =>
            {
                var granted = rules[i].Grant((long)e.Value!);
                var value = (long)e.Value! + granted;
                e.Value = value;
                return new CounterState(value, e.ExpiresAt - now, granted);
            })).ToList();
            return ValueTask.FromResult(new CounterDecision(true, -1, counted));
        }
    }

    public async ValueTask PublishAsync(string channel, string message, CancellationToken cancellationToken = default)
    {
        if (_subscribers.TryGetValue(channel, out var handlers))
        {
            foreach (var handler in handlers.Items)
            {
                await handler(message);
            }
        }
    }

    public ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Func<string, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        _subscribers.AddOrUpdate(channel, _ => new ImmutableHandlers([handler]), (_, h) => new ImmutableHandlers([.. h.Items, handler]));
        return ValueTask.FromResult<IAsyncDisposable>(new Subscription(() =>
            _subscribers.AddOrUpdate(channel, _ => new ImmutableHandlers([]), (_, h) => new ImmutableHandlers([.. h.Items.Where(x => x != handler)]))));
    }

    public ValueTask PingAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public void Dispose() => _sweeper.Dispose();

    private bool TryGetLive(string key, out Entry entry)
    {
        if (_entries.TryGetValue(key, out entry!) && !entry.IsExpired(Now))
        {
            return true;
        }

        return false;
    }

    private Entry GetOrCreate(string key, Func<object> initial, TimeSpan timeToLive)
    {
        while (true)
        {
            var entry = _entries.GetOrAdd(key, _ => new Entry(initial(), Now + timeToLive));
            if (!entry.IsExpired(Now))
            {
                return entry;
            }

            _entries.TryUpdate(key, new Entry(initial(), Now + timeToLive), entry);
        }
    }

    private void Sweep()
    {
        var now = Now;
        foreach (var (key, entry) in _entries)
        {
            if (entry.IsExpired(now))
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed class Entry(object value, DateTimeOffset expiresAt)
    {
        private readonly Lock _lock = new();

        public object? Value { get; set; } = value;
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public bool IsExpired(DateTimeOffset now)
        {
            lock (_lock)
            {
                return ExpiresAt <= now;
            }
        }

        public T Read<T>(Func<Entry, T> read)
        {
            lock (_lock)
            {
                return read(this);
            }
        }

        public T Update<T>(Func<Entry, T> update)
        {
            lock (_lock)
            {
                return update(this);
            }
        }
    }

    private sealed record ImmutableHandlers(Func<string, ValueTask>[] Items);

    private sealed class Subscription(Action unsubscribe) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            unsubscribe();
            return ValueTask.CompletedTask;
        }
    }
}
