using System.Buffers;
using System.Buffers.Text;

namespace Bastion.Redis.Protocol;

/// <summary>
/// Reads RESP2 replies (https://redis.io/docs/latest/develop/reference/protocol-spec/#resp-protocol-description)
/// from a possibly fragmented byte sequence. A reply that has not fully arrived yet leaves the reader where it
/// was, so the caller can wait for more bytes and try again; bytes that can never become valid RESP throw.
/// </summary>
internal static class RespParser
{
    /// <summary>Redis's own proto-max-bulk-len default: no bulk string it sends is larger.</summary>
    internal const long MaxBulkLength = 512L * 1024 * 1024;

    /// <summary>Longest simple string or error line accepted before the stream is declared corrupt.</summary>
    internal const int MaxLineLength = 1024 * 1024;

    /// <summary>Nested arrays come only from scripts and MULTI; anything deeper is treated as corruption.</summary>
    internal const int MaxDepth = 64;

    /// <summary>Reads one complete reply and advances past it, or returns false and leaves the reader untouched.</summary>
    /// <exception cref="RedisConnectionException">The bytes are not valid RESP2.</exception>
    public static bool TryRead(ref SequenceReader<byte> reader, out RedisValue value)
    {
        value = default;

        // A large array arrives over many reads and is retried after each one. Checking completeness first,
        // without allocating, keeps those retries from building and discarding the elements every time.
        SequenceReader<byte> scan = reader;
        if (reader.TryPeek(out byte prefix) && prefix == (byte)'*' && !TryReadValue(ref scan, depth: 0, materialize: false, out _))
        {
            return false;
        }

        SequenceReader<byte> attempt = reader;
        if (!TryReadValue(ref attempt, depth: 0, materialize: true, out value))
        {
            return false;
        }

        reader = attempt;
        return true;
    }

    /// <param name="reader">Positioned at the type marker.</param>
    /// <param name="depth">Array nesting depth so far.</param>
    /// <param name="materialize">False to only check that the reply is complete and well-formed, allocating nothing.</param>
    /// <param name="value">The reply, when materialized.</param>
    private static bool TryReadValue(ref SequenceReader<byte> reader, int depth, bool materialize, out RedisValue value)
    {
        value = default;
        if (!reader.TryRead(out byte prefix))
        {
            return false;
        }

        switch (prefix)
        {
            case (byte)'+':
            {
                if (!TryReadLine(ref reader, out ReadOnlySpan<byte> line))
                {
                    return false;
                }

                value = materialize ? RedisValue.FromSimpleString(line) : default;
                return true;
            }

            case (byte)'-':
            {
                if (!TryReadLine(ref reader, out ReadOnlySpan<byte> line))
                {
                    return false;
                }

                value = materialize ? RedisValue.FromError(line.ToArray()) : default;
                return true;
            }

            case (byte)':':
            {
                if (!TryReadInteger(ref reader, out long number))
                {
                    return false;
                }

                value = RedisValue.FromInteger(number);
                return true;
            }

            case (byte)'$':
                return TryReadBulkString(ref reader, materialize, out value);

            case (byte)'*':
                return TryReadArray(ref reader, depth, materialize, out value);

            default:
                throw ProtocolError($"unexpected type marker 0x{prefix:X2}");
        }
    }

    private static bool TryReadBulkString(ref SequenceReader<byte> reader, bool materialize, out RedisValue value)
    {
        value = default;
        if (!TryReadInteger(ref reader, out long length))
        {
            return false;
        }

        if (length == -1)
        {
            value = RedisValue.Null;
            return true;
        }

        if (length < -1 || length > MaxBulkLength)
        {
            throw ProtocolError($"invalid bulk string length {length}");
        }

        // Check before allocating so a large value arriving in many packets is copied once, when complete.
        if (reader.Remaining < length + 2)
        {
            return false;
        }

        byte[] data = length == 0 || !materialize ? [] : new byte[length];
        reader.TryCopyTo(data);
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            throw ProtocolError("bulk string not terminated by CRLF");
        }

        value = RedisValue.FromBulkString(data);
        return true;
    }

    private static bool TryReadArray(ref SequenceReader<byte> reader, int depth, bool materialize, out RedisValue value)
    {
        value = default;
        if (!TryReadInteger(ref reader, out long count))
        {
            return false;
        }

        if (count == -1)
        {
            value = RedisValue.Null;
            return true;
        }

        if (count < -1 || count > int.MaxValue)
        {
            throw ProtocolError($"invalid array length {count}");
        }

        if (depth >= MaxDepth)
        {
            throw ProtocolError($"arrays nested deeper than {MaxDepth}");
        }

        // Every element takes at least 3 bytes (":0\r\n" is 4, "$0\r\n\r\n" 6, "*0\r\n" 4), so a count larger
        // than that cannot be complete yet; waiting avoids allocating a huge array for a half-received reply.
        if (count * 3 > reader.Remaining)
        {
            return false;
        }

        if (count == 0)
        {
            value = RedisValue.FromArray([]);
            return true;
        }

        RedisValue[]? items = materialize ? new RedisValue[count] : null;
        for (int i = 0; i < count; i++)
        {
            if (!TryReadValue(ref reader, depth + 1, materialize, out RedisValue item))
            {
                return false;
            }

            if (items is not null)
            {
                items[i] = item;
            }
        }

        value = items is null ? default : RedisValue.FromArray(items);
        return true;
    }

    private static bool TryReadInteger(ref SequenceReader<byte> reader, out long number)
    {
        number = 0;
        if (!TryReadLine(ref reader, out ReadOnlySpan<byte> line))
        {
            return false;
        }

        if (!Utf8Parser.TryParse(line, out number, out int consumed) || consumed != line.Length || line.Length == 0 || line[0] == (byte)'+')
        {
            throw ProtocolError("malformed integer");
        }

        return true;
    }

    /// <summary>Reads up to CRLF. Simple strings cannot contain CR or LF (RESP spec, "Simple strings").</summary>
    private static bool TryReadLine(ref SequenceReader<byte> reader, out ReadOnlySpan<byte> line)
    {
        if (!reader.TryReadTo(out line, (byte)'\r', advancePastDelimiter: true))
        {
            if (reader.Remaining > MaxLineLength)
            {
                throw ProtocolError($"line longer than {MaxLineLength} bytes");
            }

            return false;
        }

        if (!reader.TryRead(out byte next))
        {
            return false;
        }

        if (next != (byte)'\n')
        {
            throw ProtocolError("CR not followed by LF");
        }

        return true;
    }

    private static RedisConnectionException ProtocolError(string detail) =>
        new($"Redis protocol error: {detail}; the connection is dropped because the reply stream cannot be trusted any more.");
}
