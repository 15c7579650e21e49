using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Bastion.Redis.Protocol;

namespace Bastion.Redis;

/// <summary>Typed helpers for the commands Bastion uses; each is a thin layer over <see cref="ExecuteAsync"/>.</summary>
public sealed partial class RedisClient
{
    /// <summary>PING; returns the round-trip time, useful as a health check.</summary>
    public async ValueTask<TimeSpan> PingAsync()
    {
        long start = Stopwatch.GetTimestamp();
        await Send("PING", []).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>GET as UTF-8 text; null when the key does not exist.</summary>
    public ValueTask<string?> GetAsync(string key) => ToText(Send("GET", [Key(key)]));

    /// <summary>GET as raw bytes; null when the key does not exist.</summary>
    public ValueTask<byte[]?> GetBytesAsync(string key) => ToBytes(Send("GET", [Key(key)]));

    /// <summary>
    /// SET, optionally with an expiry in milliseconds (PX) and a condition (NX/XX).
    /// Returns false when the condition prevented the write.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiry"/> is not positive.</exception>
    public ValueTask<bool> SetAsync(string key, RedisArgument value, TimeSpan? expiry = null, SetCondition condition = SetCondition.Always)
    {
        RedisArgument conditionArgument = condition switch
        {
            SetCondition.IfNotExists => "NX",
            SetCondition.IfExists => "XX",
            _ => default(RedisArgument),
        };
        bool conditional = condition != SetCondition.Always;

        // SET replies +OK, or a null bulk string when NX/XX prevented the write.
        return (expiry, conditional) switch
        {
            (null, false) => ToOkOrNull(Send("SET", [Key(key), value])),
            (null, true) => ToOkOrNull(Send("SET", [Key(key), value, conditionArgument])),
            ({ } ttl, false) => ToOkOrNull(Send("SET", [Key(key), value, "PX", Milliseconds(ttl)])),
            ({ } ttl, true) => ToOkOrNull(Send("SET", [Key(key), value, "PX", Milliseconds(ttl), conditionArgument])),
        };
    }

    /// <summary>DEL; returns how many of the keys existed.</summary>
    public ValueTask<long> DeleteAsync(params ReadOnlySpan<string> keys)
    {
        if (keys.IsEmpty)
        {
            throw new ArgumentException("At least one key is required.", nameof(keys));
        }

        var writer = new RespCommandWriter(TypicalCommandSize);
        try
        {
            writer.WriteArrayHeader(1 + keys.Length);
            writer.WriteBulkString("DEL"u8);
            foreach (string key in keys)
            {
                writer.WriteBulkString(Key(key).Text);
            }

            return ToInt64(Send("DEL", ref writer, returnErrorReplies: false));
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>PEXPIRE; returns false when the key does not exist.</summary>
    public ValueTask<bool> PExpireAsync(string key, TimeSpan ttl) => ToBoolean(Send("PEXPIRE", [Key(key), Milliseconds(ttl)]));

    /// <summary>
    /// EXPIRE; the TTL is rounded up to whole seconds so the key never expires before it was asked to
    /// (a revocation entry must outlive the token it revokes). Returns false when the key does not exist.
    /// </summary>
    public ValueTask<bool> ExpireAsync(string key, TimeSpan ttl)
    {
        long seconds = (Milliseconds(ttl) + 999) / 1000;
        return ToBoolean(Send("EXPIRE", [Key(key), seconds]));
    }

    /// <summary>
    /// PTTL: the remaining time to live; null when the key does not exist,
    /// <see cref="Timeout.InfiniteTimeSpan"/> when it exists without an expiry.
    /// </summary>
    public async ValueTask<TimeSpan?> PTtlAsync(string key)
    {
        // PTTL replies -2 for a missing key and -1 for a key without expiry (Redis 2.8+).
        long milliseconds = (await Send("PTTL", [Key(key)]).ConfigureAwait(false)).AsInt64();
        return milliseconds switch
        {
            -2 => null,
            -1 => Timeout.InfiniteTimeSpan,
            _ => TimeSpan.FromMilliseconds(milliseconds),
        };
    }

    /// <summary>INCRBY; returns the new value. A missing key counts from 0.</summary>
    public ValueTask<long> IncrementAsync(string key, long increment = 1) => ToInt64(Send("INCRBY", [Key(key), increment]));

    /// <summary>SADD; returns how many members were new.</summary>
    public ValueTask<long> SetAddAsync(string key, params ReadOnlySpan<RedisArgument> members) => ToInt64(SendKeyAndMembers("SADD", key, members));

    /// <summary>SREM; returns how many members were removed.</summary>
    public ValueTask<long> SetRemoveAsync(string key, params ReadOnlySpan<RedisArgument> members) => ToInt64(SendKeyAndMembers("SREM", key, members));

    /// <summary>SMEMBERS as UTF-8 text, in no particular order; empty when the key does not exist.</summary>
    public async ValueTask<string[]> SetMembersAsync(string key)
    {
        RedisValue[] members = (await Send("SMEMBERS", [Key(key)]).ConfigureAwait(false)).AsArray() ?? [];
        return Array.ConvertAll(members, static m => m.AsString() ?? string.Empty);
    }

    /// <summary>ZADD of one member; returns true when the member was new (false when only its score changed).</summary>
    public ValueTask<bool> SortedSetAddAsync(string key, RedisArgument member, double score) =>
        ToBoolean(Send("ZADD", [Key(key), score, member]));

    /// <summary>ZREMRANGEBYSCORE with inclusive bounds; returns how many members were removed.</summary>
    public ValueTask<long> SortedSetRemoveRangeByScoreAsync(string key, double min, double max) =>
        ToInt64(Send("ZREMRANGEBYSCORE", [Key(key), min, max]));

    /// <summary>ZCARD; 0 when the key does not exist.</summary>
    public ValueTask<long> SortedSetLengthAsync(string key) => ToInt64(Send("ZCARD", [Key(key)]));

    /// <summary>PUBLISH; returns how many subscribers (across all nodes) received the message.</summary>
    public ValueTask<long> PublishAsync(string channel, RedisArgument message)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        return ToInt64(Send("PUBLISH", [channel, message]));
    }

    /// <summary>SCRIPT LOAD; returns the SHA1 the server computed, which equals <see cref="RedisScript.Sha1"/>.</summary>
    public ValueTask<string?> ScriptLoadAsync(RedisScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return ToText(Send("SCRIPT", ["LOAD", script.ScriptBytes]));
    }

    /// <summary>
    /// Runs a script with EVALSHA, falling back to EVAL when the server answers NOSCRIPT (after a restart or
    /// SCRIPT FLUSH), which also caches the script on the server again for later calls.
    /// </summary>
    /// <exception cref="RedisServerException">The script failed or returned an error reply.</exception>
    public ValueTask<RedisValue> EvaluateAsync(RedisScript script, ReadOnlySpan<RedisArgument> keys = default, ReadOnlySpan<RedisArgument> arguments = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // EVALSHA sha numkeys keys... args... and EVAL script numkeys keys... args... share everything after the
        // second element, so that tail is encoded once and kept for a possible fallback.
        var tail = new RespCommandWriter(TypicalCommandSize);
        try
        {
            tail.WriteBulkString(keys.Length);
            foreach (ref readonly RedisArgument key in keys)
            {
                tail.WriteArgument(key);
            }

            foreach (ref readonly RedisArgument argument in arguments)
            {
                tail.WriteArgument(argument);
            }

            byte[] buffer = tail.Detach(out int length);
            return EvaluateWithFallbackAsync(script, buffer, length, 3 + keys.Length + arguments.Length);
        }
        finally
        {
            tail.Dispose();
        }
    }

    private static RedisArgument Key(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key;
    }

    private static long Milliseconds(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);

        // Rounded up so a sub-millisecond TTL does not become 0, which Redis rejects.
        return (long)Math.Ceiling(ttl.TotalMilliseconds);
    }

    private ValueTask<RedisValue> SendKeyAndMembers(string command, string key, ReadOnlySpan<RedisArgument> members)
    {
        if (members.IsEmpty)
        {
            throw new ArgumentException("At least one member is required.", nameof(members));
        }

        var writer = new RespCommandWriter(TypicalCommandSize);
        try
        {
            writer.WriteArrayHeader(2 + members.Length);
            writer.WriteBulkString(command);
            writer.WriteBulkString(Key(key).Text);
            foreach (ref readonly RedisArgument member in members)
            {
                writer.WriteArgument(member);
            }

            return Send(command, ref writer, returnErrorReplies: false);
        }
        finally
        {
            writer.Dispose();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RedisValue> EvaluateWithFallbackAsync(RedisScript script, byte[] tail, int tailLength, int count)
    {
        try
        {
            RedisValue reply = await SendScript("EVALSHA", script.Sha1Bytes, tail, tailLength, count).ConfigureAwait(false);
            if (reply.Kind == RedisValueKind.Error && reply.AsString()!.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                reply = await SendScript("EVAL", script.ScriptBytes, tail, tailLength, count).ConfigureAwait(false);
            }

            return reply.Kind == RedisValueKind.Error ? throw new RedisServerException(reply.AsString()!) : reply;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tail);
        }
    }

    private ValueTask<RedisValue> SendScript(string command, byte[] scriptOrSha, byte[] tail, int tailLength, int count)
    {
        var writer = new RespCommandWriter(64 + scriptOrSha.Length + tailLength);
        try
        {
            writer.WriteArrayHeader(count);
            writer.WriteBulkString(command);
            writer.WriteBulkString(scriptOrSha);
            writer.WriteRaw(tail.AsSpan(0, tailLength));
            return Send(command, ref writer, returnErrorReplies: true);
        }
        finally
        {
            writer.Dispose();
        }
    }
}
