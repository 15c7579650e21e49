namespace Bastion.Redis.Tests;

public sealed class RedisConnectionOptionsLeakTests
{
    [Theory]
    [InlineData("127.0.0.1:6379,password=Kx9#mq2,Zr8!vT4pLw6@nH", "Zr8!vT4pLw6@nH")]
    [InlineData("127.0.0.1:6379,password=Kx9#mq2,Zr8=vT4pLw6@nH", "Zr8")]
    [InlineData("127.0.0.1:6379,password=abc,syncTimeout=S3cretTail", "S3cretTail")]
    public void Parse_WithACommaInThePassword_NeverQuotesAnyPartOfIt(string configuration, string secretPart)
    {
        var error = Assert.Throws<FormatException>(() => RedisConnectionOptions.Parse(configuration));
        Assert.DoesNotContain(secretPart, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Kx9", error.Message, StringComparison.Ordinal);
    }
}
