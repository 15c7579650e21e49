namespace Bastion.Redis.Tests;

public sealed class RedisValueTests
{
    [Fact]
    public void AsInt64_OfDecimalBulkString_ParsesIt()
    {
        Assert.Equal(-17, RedisValue.FromBulkString("-17"u8.ToArray()).AsInt64());
    }

    [Fact]
    public void AsInt64_OfNonNumericOrNull_ThrowsInvalidOperationException()
    {
        Assert.Throws<InvalidOperationException>(() => RedisValue.FromBulkString("12x"u8.ToArray()).AsInt64());
        Assert.Throws<InvalidOperationException>(() => RedisValue.Null.AsInt64());
    }

    [Fact]
    public void AsArray_OfScalar_ThrowsInvalidOperationException()
    {
        Assert.Throws<InvalidOperationException>(() => RedisValue.FromInteger(1).AsArray());
    }

    [Fact]
    public void AsString_OfArray_ThrowsInvalidOperationException()
    {
        Assert.Throws<InvalidOperationException>(() => RedisValue.FromArray([]).AsString());
    }

    [Fact]
    public void Default_IsNull()
    {
        Assert.True(default(RedisValue).IsNull);
        Assert.Equal("(nil)", default(RedisValue).ToString());
    }
}
