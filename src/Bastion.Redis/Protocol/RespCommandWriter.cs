using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Bastion.Redis.Protocol;

/// <summary>
/// Encodes one command as a RESP array of bulk strings, the only form clients send
/// (https://redis.io/docs/latest/develop/reference/protocol-spec/#sending-commands-to-a-redis-server):
/// <c>*&lt;count&gt;\r\n</c> followed by <c>$&lt;length&gt;\r\n&lt;bytes&gt;\r\n</c> per argument.
/// Writes into a buffer rented from the shared pool; <see cref="Dispose"/> returns it.
/// </summary>
internal ref struct RespCommandWriter
{
    private const int MaxNumberLength = 20; // "-9223372036854775808"
    private const int MaxHeaderLength = 1 + MaxNumberLength + 2;

    private byte[] _buffer;
    private int _length;

    public RespCommandWriter(int initialCapacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public readonly int Length => _length;

    public void WriteArrayHeader(int count) => WriteHeader((byte)'*', count);

    public void WriteBulkString(scoped ReadOnlySpan<byte> value)
    {
        WriteHeader((byte)'$', value.Length);
        EnsureCapacity(value.Length + 2);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
        WriteCrLf();
    }

    public void WriteBulkString(string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteHeader((byte)'$', byteCount);
        EnsureCapacity(byteCount + 2);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        WriteCrLf();
    }

    public void WriteBulkString(long value)
    {
        Span<byte> digits = stackalloc byte[MaxNumberLength];
        Utf8Formatter.TryFormat(value, digits, out int written);
        WriteBulkString(digits[..written]);
    }

    public void WriteBulkString(double value)
    {
        // Redis parses scores with strtod and spells the infinities "+inf"/"-inf" (ZADD documentation).
        if (double.IsPositiveInfinity(value))
        {
            WriteBulkString("+inf"u8);
        }
        else if (double.IsNegativeInfinity(value))
        {
            WriteBulkString("-inf"u8);
        }
        else
        {
            Span<byte> digits = stackalloc byte[32];
            value.TryFormat(digits, out int written, "R", CultureInfo.InvariantCulture);
            WriteBulkString(digits[..written]);
        }
    }

    public void WriteArgument(in RedisArgument argument)
    {
        switch (argument.Kind)
        {
            case RedisArgumentKind.Text:
                WriteBulkString(argument.Text);
                break;
            case RedisArgumentKind.Integer:
                WriteBulkString(argument.Integer);
                break;
            case RedisArgumentKind.Double:
                WriteBulkString(argument.Double);
                break;
            default:
                WriteBulkString(argument.Bytes);
                break;
        }
    }

    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Hands the buffer to the caller, who must return it to <see cref="ArrayPool{T}.Shared"/>.</summary>
    public byte[] Detach(out int length)
    {
        byte[] buffer = _buffer;
        length = _length;
        _buffer = [];
        _length = 0;
        return buffer;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void WriteHeader(byte prefix, long count)
    {
        EnsureCapacity(MaxHeaderLength);
        _buffer[_length++] = prefix;
        Utf8Formatter.TryFormat(count, _buffer.AsSpan(_length), out int written);
        _length += written;
        WriteCrLf();
    }

    private void WriteCrLf()
    {
        EnsureCapacity(2);
        _buffer[_length++] = (byte)'\r';
        _buffer[_length++] = (byte)'\n';
    }

    private void EnsureCapacity(int additional)
    {
        if (_length + additional <= _buffer.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + additional));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
