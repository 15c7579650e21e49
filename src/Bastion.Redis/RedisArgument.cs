namespace Bastion.Redis;

/// <summary>
/// One argument of a command. Every argument travels as a RESP bulk string; this struct only remembers
/// the caller's value so that it can be encoded straight into the output buffer without an intermediate
/// string or array.
/// </summary>
public readonly struct RedisArgument
{
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly long _number;

    private RedisArgument(RedisArgumentKind kind, string? text, ReadOnlyMemory<byte> bytes, long number)
    {
        Kind = kind;
        _text = text;
        _bytes = bytes;
        _number = number;
    }

    internal RedisArgumentKind Kind { get; }

    internal string Text => _text!;

    internal ReadOnlySpan<byte> Bytes => _bytes.Span;

    internal long Integer => _number;

    internal double Double => BitConverter.Int64BitsToDouble(_number);

    /// <summary>A UTF-8 encoded text argument.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static RedisArgument FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(RedisArgumentKind.Text, value, default, 0);
    }

    /// <summary>A binary argument sent as-is.</summary>
    public static RedisArgument FromBytes(ReadOnlyMemory<byte> value) => new(RedisArgumentKind.Bytes, null, value, 0);

    /// <summary>An integer argument, sent in decimal as Redis expects.</summary>
    public static RedisArgument FromInt64(long value) => new(RedisArgumentKind.Integer, null, default, value);

    /// <summary>A floating point argument (for example a sorted set score); infinities are sent as <c>+inf</c>/<c>-inf</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is NaN, which Redis rejects.</exception>
    public static RedisArgument FromDouble(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException("NaN cannot be sent to Redis.", nameof(value));
        }

        return new(RedisArgumentKind.Double, null, default, BitConverter.DoubleToInt64Bits(value));
    }

    /// <summary>Converts text; see <see cref="FromString"/>.</summary>
    public static implicit operator RedisArgument(string value) => FromString(value);

    /// <summary>Converts bytes; see <see cref="FromBytes"/>.</summary>
    public static implicit operator RedisArgument(byte[] value) => FromBytes(value);

    /// <summary>Converts bytes; see <see cref="FromBytes"/>.</summary>
    public static implicit operator RedisArgument(ReadOnlyMemory<byte> value) => FromBytes(value);

    /// <summary>Converts an integer; see <see cref="FromInt64"/>.</summary>
    public static implicit operator RedisArgument(long value) => FromInt64(value);

    /// <summary>Converts a floating point number; see <see cref="FromDouble"/>.</summary>
    public static implicit operator RedisArgument(double value) => FromDouble(value);
}
