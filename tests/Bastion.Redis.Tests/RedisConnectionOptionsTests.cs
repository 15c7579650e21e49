namespace Bastion.Redis.Tests;

public sealed class RedisConnectionOptionsTests
{
    [Fact]
    public void Parse_HostAndPort_SetsEndpointAndDefaults()
    {
        RedisConnectionOptions options = RedisConnectionOptions.Parse("redis.internal:6380");

        Assert.Equal("redis.internal", options.Host);
        Assert.Equal(6380, options.Port);
        Assert.Null(options.Password);
        Assert.Null(options.User);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SyncTimeout);
        Assert.Equal(0, options.DefaultDatabase);
        Assert.Equal(1, options.ConnectionCount);
    }

    [Fact]
    public void Parse_HostWithoutPort_UsesDefaultPort()
    {
        Assert.Equal(RedisConnectionOptions.DefaultPort, RedisConnectionOptions.Parse("localhost").Port);
    }

    [Fact]
    public void Parse_AllOptions_AreAppliedWithCaseInsensitiveKeysAndSpaces()
    {
        RedisConnectionOptions options = RedisConnectionOptions.Parse(
            " 10.0.0.5:7000 , User=bastion, PASSWORD=p@ss, connecttimeout=1500, syncTimeout = 250, defaultDatabase=3, connectionCount=4 ");

        Assert.Equal("10.0.0.5", options.Host);
        Assert.Equal(7000, options.Port);
        Assert.Equal("bastion", options.User);
        Assert.Equal("p@ss", options.Password);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.SyncTimeout);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.Equal(4, options.ConnectionCount);
    }

    [Fact]
    public void Parse_PasswordContainingEqualsSign_KeepsWholeValue()
    {
        Assert.Equal("a=b==", RedisConnectionOptions.Parse("host:1,password=a=b==").Password);
    }

    [Fact]
    public void Parse_BracketedIpv6_SplitsHostAndPort()
    {
        RedisConnectionOptions options = RedisConnectionOptions.Parse("[::1]:6390");

        Assert.Equal("::1", options.Host);
        Assert.Equal(6390, options.Port);
    }

    [Fact]
    public void Parse_EmptyParts_AreIgnored()
    {
        Assert.Equal("host", RedisConnectionOptions.Parse("host:1,,password=x,").Host);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_NullOrBlank_ThrowsArgumentException(string? configuration)
    {
        Assert.ThrowsAny<ArgumentException>(() => RedisConnectionOptions.Parse(configuration!));
    }

    [Theory]
    [InlineData("host:abc", "invalid port")]
    [InlineData("host:0", "invalid port")]
    [InlineData("host:65536", "invalid port")]
    [InlineData("host:", "invalid port")]
    [InlineData(":6379", "no host")]
    [InlineData("a:1,b:2", "Only one endpoint")]
    [InlineData("::1:6379", "IPv6")]
    [InlineData("[::1", "[ipv6]:port")]
    [InlineData("password=x", "no endpoint")]
    [InlineData("host,syncTimeout=abc", "'syncTimeout' must be an integer")]
    [InlineData("host,connectTimeout=0", "'connectTimeout' must be an integer")]
    [InlineData("host,defaultDatabase=-1", "'defaultDatabase' must be an integer")]
    [InlineData("host,connectionCount=17", "'connectionCount' must be an integer from 1 to 16")]
    [InlineData("host,password=", "'password' option is empty")]
    [InlineData("host,ssl=true", "Unknown Redis configuration option 'ssl'")]
    public void Parse_MalformedConfiguration_ThrowsFormatExceptionNamingTheProblem(string configuration, string expectedMessagePart)
    {
        FormatException exception = Assert.Throws<FormatException>(() => RedisConnectionOptions.Parse(configuration));

        Assert.Contains(expectedMessagePart, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MisspeltPasswordKey_DoesNotEchoTheSecret()
    {
        FormatException exception = Assert.Throws<FormatException>(() => RedisConnectionOptions.Parse("host,pasword=hunter2"));

        Assert.Contains("pasword", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_WithPassword_MasksIt()
    {
        RedisConnectionOptions options = RedisConnectionOptions.Parse("host:1,user=u,password=hunter2,syncTimeout=100");

        string text = options.ToString();

        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Equal("host:1,user=u,password=*****,connectTimeout=5000,syncTimeout=100,defaultDatabase=0,connectionCount=1", text);
    }

    [Fact]
    public void ToString_RoundTripsThroughParse()
    {
        RedisConnectionOptions options = RedisConnectionOptions.Parse("[::1]:7001,syncTimeout=100,defaultDatabase=2");

        RedisConnectionOptions reparsed = RedisConnectionOptions.Parse(options.ToString());

        Assert.Equal(options.ToString(), reparsed.ToString());
    }

    [Fact]
    public void Setters_RejectOutOfRangeValues()
    {
        var options = new RedisConnectionOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.SyncTimeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.ConnectTimeout = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Port = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.ConnectionCount = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.DefaultDatabase = -1);
    }

    [Fact]
    public void UnresponsiveTimeout_DefaultsToThreeSyncTimeoutsButAtLeastTenSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), new RedisConnectionOptions { SyncTimeout = TimeSpan.FromSeconds(5) }.UnresponsiveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), new RedisConnectionOptions { SyncTimeout = TimeSpan.FromMilliseconds(100) }.UnresponsiveTimeout);
    }
}
