using System.Buffers;
using System.Text;
using Bastion.Redis.Protocol;
using Bastion.Redis.Tests.Infrastructure;

namespace Bastion.Redis.Tests.Protocol;

public sealed class RespParserTests
{
    // One frame of every RESP2 type, including the edge cases of each.
    public static TheoryData<string> Frames => new()
    {
        "+OK\r\n",
        "+\r\n",
        "-ERR unknown command 'FOO'\r\n",
        ":0\r\n",
        ":-9223372036854775808\r\n",
        "$5\r\nhello\r\n",
        "$0\r\n\r\n",
        "$-1\r\n",
        "$4\r\na\r\nb\r\n",
        "*0\r\n",
        "*-1\r\n",
        "*3\r\n:1\r\n$-1\r\n*2\r\n+a\r\n-ERR inner\r\n",
    };

    [Fact]
    public void TryRead_SimpleString_ReturnsText()
    {
        RedisValue value = ReadSingle("+PONG\r\n");

        Assert.Equal(RedisValueKind.SimpleString, value.Kind);
        Assert.Equal("PONG", value.AsString());
    }

    [Fact]
    public void TryRead_Ok_IsRecognisedAsOk()
    {
        RedisValue value = ReadSingle("+OK\r\n");

        Assert.True(value.IsOk);
        Assert.Equal("OK", value.AsString());
    }

    [Fact]
    public void TryRead_Error_ReturnsErrorKindWithServerMessage()
    {
        RedisValue value = ReadSingle("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");

        Assert.Equal(RedisValueKind.Error, value.Kind);
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", value.AsString());
    }

    [Theory]
    [InlineData(":0\r\n", 0L)]
    [InlineData(":1000\r\n", 1000L)]
    [InlineData(":-42\r\n", -42L)]
    [InlineData(":9223372036854775807\r\n", long.MaxValue)]
    public void TryRead_Integer_ReturnsValue(string frame, long expected)
    {
        RedisValue value = ReadSingle(frame);

        Assert.Equal(RedisValueKind.Integer, value.Kind);
        Assert.Equal(expected, value.AsInt64());
    }

    [Fact]
    public void TryRead_BulkString_IsBinarySafe()
    {
        RedisValue value = ReadSingle("$6\r\na\r\n\0b\xff\r\n");

        Assert.Equal(RedisValueKind.BulkString, value.Kind);
        Assert.Equal(new byte[] { (byte)'a', 13, 10, 0, (byte)'b', 0xFF }, value.AsBytes());
    }

    [Fact]
    public void TryRead_EmptyBulkString_ReturnsEmptyNotNull()
    {
        RedisValue value = ReadSingle("$0\r\n\r\n");

        Assert.False(value.IsNull);
        Assert.Equal(string.Empty, value.AsString());
    }

    [Theory]
    [InlineData("$-1\r\n")]
    [InlineData("*-1\r\n")]
    public void TryRead_NullBulkStringOrArray_ReturnsNull(string frame)
    {
        RedisValue value = ReadSingle(frame);

        Assert.True(value.IsNull);
        Assert.Null(value.AsString());
        Assert.Null(value.AsArray());
    }

    [Fact]
    public void TryRead_EmptyArray_ReturnsNoElements()
    {
        RedisValue value = ReadSingle("*0\r\n");

        Assert.Equal(RedisValueKind.Array, value.Kind);
        Assert.Empty(value.AsArray()!);
    }

    [Fact]
    public void TryRead_NestedArray_PreservesStructureNullsAndErrors()
    {
        RedisValue value = ReadSingle("*4\r\n:1\r\n$-1\r\n*2\r\n+a\r\n-ERR inner\r\n$3\r\nend\r\n");

        RedisValue[] items = value.AsArray()!;
        Assert.Equal(4, items.Length);
        Assert.Equal(1, items[0].AsInt64());
        Assert.True(items[1].IsNull);
        RedisValue[] inner = items[2].AsArray()!;
        Assert.Equal("a", inner[0].AsString());
        Assert.Equal(RedisValueKind.Error, inner[1].Kind);
        Assert.Equal("ERR inner", inner[1].AsString());
        Assert.Equal("end", items[3].AsString());
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void TryRead_EveryStrictPrefixOfAFrame_ReturnsFalseAndConsumesNothing(string frame)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(frame);
        for (int length = 0; length < bytes.Length; length++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, length));

            Assert.False(RespParser.TryRead(ref reader, out _), $"prefix of length {length} was accepted");
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void TryRead_FrameSplitIntoSegmentsAtEveryByte_ParsesLikeContiguousFrame(string frame)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(frame);
        string expected = Describe(ReadSingle(frame));
        for (int split = 0; split <= bytes.Length; split++)
        {
            var reader = new SequenceReader<byte>(SegmentedSequence.SplitAt(bytes, split));

            Assert.True(RespParser.TryRead(ref reader, out RedisValue value), $"split at {split} was not parsed");
            Assert.Equal(expected, Describe(value));
            Assert.True(reader.End);
        }
    }

    [Fact]
    public void TryRead_FrameDeliveredOneByteAtATime_ParsesOnceComplete()
    {
        byte[] bytes = "*2\r\n$3\r\nfoo\r\n:7\r\n"u8.ToArray();
        byte[][] singleBytes = [.. bytes.Select(b => new[] { b })];
        var reader = new SequenceReader<byte>(SegmentedSequence.Create(singleBytes));

        Assert.True(RespParser.TryRead(ref reader, out RedisValue value));
        Assert.Equal("foo", value.AsArray()![0].AsString());
        Assert.Equal(7, value.AsArray()![1].AsInt64());
    }

    [Fact]
    public void TryRead_PipelinedFrames_ReadsEachInOrderAndStopsAtPartialTail()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("+OK\r\n:5\r\n$3\r\nab"u8.ToArray()));

        Assert.True(RespParser.TryRead(ref reader, out RedisValue first));
        Assert.True(RespParser.TryRead(ref reader, out RedisValue second));
        Assert.False(RespParser.TryRead(ref reader, out _));
        Assert.Equal("OK", first.AsString());
        Assert.Equal(5, second.AsInt64());
        Assert.Equal(9, reader.Consumed);
    }

    [Theory]
    [InlineData("?what\r\n")]
    [InlineData(":12a\r\n")]
    [InlineData(":\r\n")]
    [InlineData(":+1\r\n")]
    [InlineData("$-2\r\n")]
    [InlineData("$3\r\nabcX\r\n")]
    [InlineData("*-5\r\n")]
    [InlineData("+OK\rX")]
    public void TryRead_MalformedInput_ThrowsRedisConnectionException(string frame)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(frame)));

        RedisConnectionException exception = CaptureException(ref reader);

        Assert.Contains("protocol error", exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TryRead_ArrayCountLargerThanBufferedBytes_WaitsInsteadOfAllocating()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("*2000000000\r\n:1\r\n"u8.ToArray()));

        Assert.False(RespParser.TryRead(ref reader, out _));
    }

    [Fact]
    public void TryRead_ArraysNestedBeyondLimit_ThrowsRedisConnectionException()
    {
        string frame = string.Concat(Enumerable.Repeat("*1\r\n", RespParser.MaxDepth + 1)) + ":1\r\n";
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(frame)));

        Assert.Contains("nested", CaptureException(ref reader).Message, StringComparison.Ordinal);
    }

    private static RedisConnectionException CaptureException(ref SequenceReader<byte> reader)
    {
        try
        {
            RespParser.TryRead(ref reader, out _);
        }
        catch (RedisConnectionException exception)
        {
            return exception;
        }

        throw new Xunit.Sdk.XunitException("Expected a RedisConnectionException.");
    }

    private static RedisValue ReadSingle(string frame)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(frame)));
        Assert.True(RespParser.TryRead(ref reader, out RedisValue value));
        Assert.True(reader.End, "the whole frame should have been consumed");
        return value;
    }

    private static string Describe(RedisValue value) => value.Kind switch
    {
        RedisValueKind.Array => $"[{string.Join(",", value.AsArray()!.Select(Describe))}]",
        RedisValueKind.Null => "nil",
        _ => $"{value.Kind}:{value.AsString()}",
    };
}
