using System.Globalization;
using Bastion.Redis;
using Microsoft.Extensions.Options;

namespace Bastion.State;

/// <summary>
/// The shared state store on Redis. Every operation that must be atomic across nodes is one command or one
/// Lua script (scripts run atomically on the server, and are sent by SHA with EVAL as the fallback).
/// </summary>
internal sealed class RedisStateStore(IOptions<StateOptions> options) : IStateStore, IAsyncDisposable
{
    // INCRBY, then set the window's expiry only when the key has none yet (a fixed window from the first hit).
    private static readonly RedisScript IncrementScript = new("""
        local value = redis.call('INCRBY', KEYS[1], ARGV[1])
        if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return value
        """);

    // DECR only a counter that exists and is above zero: DECR keeps the key's expiry, and never creates a key.
    private static readonly RedisScript ReleaseScript = new("""
        local value = tonumber(redis.call('GET', KEYS[1]) or '0')
        if value > 0 then return redis.call('DECR', KEYS[1]) end
        return value
        """);

    private static readonly RedisScript SetAddScript = new("""
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """);

    // A sorted set of hit times: drop what left the window, refuse at the limit, otherwise record this hit.
    private static readonly RedisScript SlidingWindowScript = new("""
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local count = redis.call('ZCARD', KEYS[1])
        if count >= limit then
          local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
          return {0, count, tonumber(oldest[2]) + window - now}
        end
        redis.call('ZADD', KEYS[1], now, ARGV[4])
        redis.call('PEXPIRE', KEYS[1], window)
        return {1, count + 1, 0}
        """);

    // KEYS: the counters; ARGV: limit, window (ms) and hits to take per key, then CounterRule.RoomShare. Refuse
    // without counting if any is full (and give a full counter that lost its expiry one again, so that it cannot
    // refuse forever); otherwise count on each what CounterRule.Grant allows: up to the hits asked for, at most
    // that share of the room left, at least one. PTTL only where the reply needs it.
    private static readonly RedisScript CountersScript = new("""
        local counts = {}
        for i, key in ipairs(KEYS) do
          local count = tonumber(redis.call('GET', key) or '0')
          if count >= tonumber(ARGV[i * 3 - 2]) then
            local ttl = redis.call('PTTL', key)
            if ttl < 0 then
              redis.call('PEXPIRE', key, ARGV[i * 3 - 1])
              ttl = tonumber(ARGV[i * 3 - 1])
            end
            return {0, i, count, ttl}
          end
          counts[i] = count
        end
        local result = {1, 0}
        for i, key in ipairs(KEYS) do
          local room = tonumber(ARGV[i * 3 - 2]) - counts[i]
          local granted = math.min(math.max(1, tonumber(ARGV[i * 3])), math.max(1, math.floor(room / tonumber(ARGV[#ARGV]))))
          local count = redis.call('INCRBY', key, granted)
          local ttl
          if count == granted then
            redis.call('PEXPIRE', key, ARGV[i * 3 - 1])
            ttl = tonumber(ARGV[i * 3 - 1])
          else
            ttl = redis.call('PTTL', key)
            if ttl < 0 then
              redis.call('PEXPIRE', key, ARGV[i * 3 - 1])
              ttl = tonumber(ARGV[i * 3 - 1])
            end
          end
          result[#result + 1] = count
          result[#result + 1] = ttl
          result[#result + 1] = granted
        end
        return result
        """);

    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private RedisClient? _client;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).GetBytesAsync(key);

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).SetAsync(key, value, Positive(timeToLive));

    public async ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).SetAsync(key, value, Positive(timeToLive), SetCondition.IfNotExists);

    public async ValueTask<bool> ReplaceAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).SetAsync(key, value, Positive(timeToLive), SetCondition.IfExists);

    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).DeleteAsync(key) > 0;

    public async ValueTask<long> IncrementAsync(string key, long delta, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var client = await ClientAsync(cancellationToken);
        var result = await client.EvaluateAsync(IncrementScript, [key], [delta, Milliseconds(timeToLive)]);
        return result.AsInt64();
    }

    public async ValueTask<long> ReleaseAsync(string key, CancellationToken cancellationToken = default)
    {
        var client = await ClientAsync(cancellationToken);
        return (await client.EvaluateAsync(ReleaseScript, [key], [])).AsInt64();
    }

    public async ValueTask<TimeSpan?> GetTimeToLiveAsync(string key, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).PTtlAsync(key);

    public async ValueTask SetAddAsync(string key, string member, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var client = await ClientAsync(cancellationToken);
        await client.EvaluateAsync(SetAddScript, [key], [member, Milliseconds(timeToLive)]);
    }

    public async ValueTask<bool> SetRemoveAsync(string key, string member, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).SetRemoveAsync(key, member) > 0;

    public async ValueTask<IReadOnlyCollection<string>> SetMembersAsync(string key, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).SetMembersAsync(key);

    public async ValueTask<SlidingWindowResult> SlidingWindowHitAsync(string key, TimeSpan window, long limit, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var client = await ClientAsync(cancellationToken);
        var nowMs = now.ToUnixTimeMilliseconds();
        var member = nowMs.ToString(CultureInfo.InvariantCulture) + ":" + Guid.NewGuid().ToString("N");
        var reply = (await client.EvaluateAsync(SlidingWindowScript, [key], [nowMs, Milliseconds(window), limit, member])).AsArray()!;
        return new SlidingWindowResult(reply[0].AsInt64() == 1, reply[1].AsInt64(), TimeSpan.FromMilliseconds(Math.Max(0, reply[2].AsInt64())));
    }

    public async ValueTask<CounterDecision> HitCountersAsync(IReadOnlyList<CounterRule> rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var client = await ClientAsync(cancellationToken);
        var keys = new RedisArgument[rules.Count];
        var arguments = new RedisArgument[(rules.Count * 3) + 1];
        arguments[^1] = CounterRule.RoomShare;
        for (var i = 0; i < rules.Count; i++)
        {
            keys[i] = rules[i].Key;
            arguments[i * 3] = rules[i].Limit;
            arguments[(i * 3) + 1] = Milliseconds(rules[i].Window);
            arguments[(i * 3) + 2] = rules[i].Take;
        }

        var reply = (await client.EvaluateAsync(CountersScript, keys, arguments)).AsArray()!;
        var states = new CounterState[rules.Count];
        if (reply[0].AsInt64() == 0)
        {
            var refused = (int)reply[1].AsInt64() - 1;
            states[refused] = new CounterState(reply[2].AsInt64(), TimeSpan.FromMilliseconds(Math.Max(0, reply[3].AsInt64())));
            return new CounterDecision(false, refused, states);
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var at = 2 + (i * 3);
            states[i] = new CounterState(reply[at].AsInt64(), TimeSpan.FromMilliseconds(reply[at + 1].AsInt64()), reply[at + 2].AsInt64());
        }

        return new CounterDecision(true, -1, states);
    }

    public async ValueTask PublishAsync(string channel, string message, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).PublishAsync(channel, message);

    public async ValueTask<IAsyncDisposable> SubscribeAsync(string channel, Func<string, ValueTask> handler, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).SubscribeAsync(channel, handler, cancellationToken);

    public async ValueTask PingAsync(CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken)).PingAsync();

    /// <summary>One server setting (<c>CONFIG GET name</c>), or null when the server has no such setting.</summary>
    /// <exception cref="RedisServerException">CONFIG is renamed away or not allowed to this user.</exception>
    internal async ValueTask<string?> GetServerSettingAsync(string name, CancellationToken cancellationToken)
    {
        var reply = await (await ClientAsync(cancellationToken)).ExecuteAsync("CONFIG", "GET", name);
        return reply.AsArray() is [_, var value] ? value.AsString() : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _connectLock.Dispose();
    }

    // Connects on first use; a failed first connection is retried by the next call rather than cached.
    private async ValueTask<RedisClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { } client)
        {
            return client;
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            return _client ??= await RedisClient.ConnectAsync(options.Value.Redis!, cancellationToken);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private static TimeSpan Positive(TimeSpan timeToLive) => timeToLive > TimeSpan.Zero ? timeToLive : TimeSpan.FromMilliseconds(1);

    private static long Milliseconds(TimeSpan timeToLive) => Math.Max(1, (long)Math.Ceiling(timeToLive.TotalMilliseconds));
}
