using System.Text;
using Bastion.Redis.Protocol;

namespace Bastion.Redis.Tests.Protocol;

public sealed class RespCommandWriterTests
{
    [Fact]
    public void Write_Command_EncodesArrayOfBulkStrings()
    {
        string encoded = Encode(w =>
        {
            w.WriteArrayHeader(5);
            w.WriteBulkString("SET");
            w.WriteArgument("session:1");
            w.WriteArgument("value");
            w.WriteArgument("PX");
            w.WriteArgument(1500L);
        });

        Assert.Equal("*5\r\n$3\r\nSET\r\n$9\r\nsession:1\r\n$5\r\nvalue\r\n$2\r\nPX\r\n$4\r\n1500\r\n", encoded);
    }

    [Fact]
    public void WriteArgument_NonAsciiText_UsesUtf8ByteLength()
    {
        string encoded = Encode(w => w.WriteArgument("é€"));

        Assert.Equal("$5\r\n" + Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("é€")) + "\r\n", encoded);
    }

    [Theory]
    [InlineData(-1L, "$2\r\n-1\r\n")]
    [InlineData(0L, "$1\r\n0\r\n")]
    [InlineData(long.MinValue, "$20\r\n-9223372036854775808\r\n")]
    public void WriteArgument_Integer_EncodesDecimal(long value, string expected) =>
        Assert.Equal(expected, Encode(w => w.WriteArgument(value)));

    [Theory]
    [InlineData(double.PositiveInfinity, "+inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(1.5, "1.5")]
    [InlineData(-0.1, "-0.1")]
    [InlineData(1e20, "1E+20")]
    public void WriteArgument_Double_UsesRedisSpelling(double value, string expected) =>
        Assert.Equal($"${expected.Length}\r\n{expected}\r\n", Encode(w => w.WriteArgument(value)));

    [Fact]
    public void WriteArgument_Bytes_AreSentVerbatim()
    {
        byte[] binary = [0, 13, 10, 255];

        string encoded = Encode(w => w.WriteArgument(binary));

        Assert.Equal("$4\r\n\0\r\n\xff\r\n", encoded);
    }

    [Fact]
    public void Write_ValueLargerThanInitialBuffer_GrowsAndKeepsEarlierBytes()
    {
        string large = new('x', 100_000);

        string encoded = Encode(w =>
        {
            w.WriteArrayHeader(2);
            w.WriteArgument("SET");
            w.WriteArgument(large);
        }, initialCapacity: 16);

        Assert.Equal("*2\r\n$3\r\nSET\r\n$100000\r\n" + large + "\r\n", encoded);
    }

    [Fact]
    public void FromDouble_NaN_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => RedisArgument.FromDouble(double.NaN));

    private delegate void WriteAction(ref RespCommandWriter writer);

    private static string Encode(Action<Recorder> write, int initialCapacity = 64)
    {
        var recorder = new Recorder();
        write(recorder);
        var writer = new RespCommandWriter(initialCapacity);
        try
        {
            recorder.Replay(ref writer);
            return Encoding.Latin1.GetString(writer.WrittenSpan);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Records writes so test lambdas need not capture the ref struct writer.</summary>
    private sealed class Recorder
    {
        private readonly List<WriteAction> _actions = [];

        public void WriteArrayHeader(int count) => _actions.Add((ref RespCommandWriter w) => w.WriteArrayHeader(count));

        public void WriteBulkString(string value) => _actions.Add((ref RespCommandWriter w) => w.WriteBulkString(value));

        public void WriteArgument(RedisArgument argument) => _actions.Add((ref RespCommandWriter w) => w.WriteArgument(argument));

        public void Replay(ref RespCommandWriter writer)
        {
            foreach (WriteAction action in _actions)
            {
                action(ref writer);
            }
        }
    }
}
