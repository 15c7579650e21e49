using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Bastion.Redis;

/// <summary>
/// One reply read from Redis. A small struct so that integer and status replies (INCR, SET, PEXPIRE)
/// reach the caller without a heap allocation.
/// </summary>
public readonly struct RedisValue
{
    private static readonly byte[] OkBytes = "OK"u8.ToArray();
    private static readonly byte[] PongBytes = "PONG"u8.ToArray();

    // byte[] for simple strings, errors and bulk strings; RedisValue[] for arrays; null otherwise.
    private readonly object? _payload;
    private readonly long _integer;

    private RedisValue(RedisValueKind kind, object? payload, long integer)
    {
        Kind = kind;
        _payload = payload;
        _integer = integer;
    }

    /// <summary>The RESP2 type of the reply.</summary>
    public RedisValueKind Kind { get; }

    /// <summary>True for a null bulk string or null array (for example GET of a missing key).</summary>
    public bool IsNull => Kind == RedisValueKind.Null;

    internal bool IsOk => Kind == RedisValueKind.SimpleString && ReferenceEquals(_payload, OkBytes);

    internal static RedisValue Null => default;

    internal static RedisValue FromInteger(long value) => new(RedisValueKind.Integer, null, value);

    internal static RedisValue FromBulkString(byte[] value) => new(RedisValueKind.BulkString, value, 0);

    internal static RedisValue FromArray(RedisValue[] items) => new(RedisValueKind.Array, items, 0);

    internal static RedisValue FromError(byte[] message) => new(RedisValueKind.Error, message, 0);

    internal static RedisValue FromSimpleString(ReadOnlySpan<byte> value)
    {
        // The two status replies on the hot path share one array instead of allocating per reply.
        if (value.SequenceEqual(OkBytes))
        {
            return new(RedisValueKind.SimpleString, OkBytes, 0);
        }

        if (value.SequenceEqual(PongBytes))
        {
            return new(RedisValueKind.SimpleString, PongBytes, 0);
        }

        return new(RedisValueKind.SimpleString, value.ToArray(), 0);
    }

    /// <summary>
    /// The reply as text: strings are decoded as UTF-8, integers formatted invariantly, null gives null.
    /// </summary>
    /// <exception cref="InvalidOperationException">The reply is an array.</exception>
    public string? AsString() => Kind switch
    {
        RedisValueKind.Null => null,
        RedisValueKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RedisValueKind.Array => throw new InvalidOperationException("An array reply cannot be read as a string."),
        _ when ReferenceEquals(_payload, OkBytes) => "OK",
        _ => Encoding.UTF8.GetString((byte[])_payload!),
    };

    /// <summary>The raw bytes of a string reply, or null for a null reply.</summary>
    /// <exception cref="InvalidOperationException">The reply is an integer or an array.</exception>
    public byte[]? AsBytes() => Kind switch
    {
        RedisValueKind.Null => null,
        RedisValueKind.SimpleString or RedisValueKind.BulkString or RedisValueKind.Error => (byte[])_payload!,
        _ => throw new InvalidOperationException($"A {Kind} reply cannot be read as bytes."),
    };

    /// <summary>
    /// The reply as a 64-bit integer: an integer reply, or a string reply holding a decimal number
    /// (GET of a counter written by INCRBY returns a bulk string).
    /// </summary>
    /// <exception cref="InvalidOperationException">The reply is null, an array, or not a decimal integer.</exception>
    public long AsInt64()
    {
        if (Kind == RedisValueKind.Integer)
        {
            return _integer;
        }

        if (Kind is RedisValueKind.BulkString or RedisValueKind.SimpleString
            && Utf8Parser.TryParse((byte[])_payload!, out long value, out int consumed)
            && consumed == ((byte[])_payload!).Length)
        {
            return value;
        }

        throw new InvalidOperationException($"A {Kind} reply cannot be read as an integer.");
    }

    /// <summary>The elements of an array reply, or null for a null reply.</summary>
    /// <exception cref="InvalidOperationException">The reply is not an array.</exception>
    public RedisValue[]? AsArray() => Kind switch
    {
        RedisValueKind.Null => null,
        RedisValueKind.Array => (RedisValue[])_payload!,
        _ => throw new InvalidOperationException($"A {Kind} reply cannot be read as an array."),
    };

    /// <summary>A short description for debugging: the kind and, for scalars, the value.</summary>
    public override string ToString() => Kind switch
    {
        RedisValueKind.Null => "(nil)",
        RedisValueKind.Array => $"Array[{((RedisValue[])_payload!).Length}]",
        _ => $"{Kind}: {AsString()}",
    };
}
