using Bastion.Idempotency;

namespace Bastion.Tests.Idempotency;

public sealed class IdempotencyKeyHeaderTests
{
    [Theory]
    [InlineData("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("a", "a")]
    [InlineData("~!#$%&'()*+,-./:;<=>?@[]^_`{|}", "~!#$%&'()*+,-./:;<=>?@[]^_`{|}")]
    public void TryRead_AcceptsBareAndStructuredFieldStrings(string value, string expected)
    {
        Assert.True(IdempotencyKeyHeader.TryRead(value, out var key));
        Assert.Equal(expected, key);
    }

    [Fact]
    public void TryRead_WithoutTheHeader_GivesNoKey()
    {
        Assert.True(IdempotencyKeyHeader.TryRead(null, out var key));
        Assert.Null(key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("with space")]
    [InlineData("tab\there")]
    [InlineData("\"a\"b\"")]
    [InlineData("ключ")]
    [InlineData("line\nbreak")]
    public void TryRead_RefusesEmptyControlSpaceAndNonAsciiKeys(string value)
        => Assert.False(IdempotencyKeyHeader.TryRead(value, out _));

    [Fact]
    public void TryRead_RefusesKeysLongerThan255Characters()
    {
        Assert.True(IdempotencyKeyHeader.TryRead(new string('k', 255), out _));
        Assert.False(IdempotencyKeyHeader.TryRead(new string('k', 256), out _));
    }
}
