using System.Text;
using Bastion.Redis.Tests.Infrastructure;

namespace Bastion.Redis.Tests.Integration;

public sealed class CommandTests : IClassFixture<PasswordProtectedServerFixture>
{
    private readonly PasswordProtectedServerFixture _fixture;

    public CommandTests(PasswordProtectedServerFixture fixture) => _fixture = fixture;

    private RedisClient Client => _fixture.Client;

    [Fact]
    public async Task Ping_ReturnsRoundTripTime()
    {
        TimeSpan roundTrip = await Client.PingAsync();

        Assert.InRange(roundTrip, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        Assert.Null(await Client.GetAsync(NewKey()));
        Assert.Null(await Client.GetBytesAsync(NewKey()));
    }

    [Fact]
    public async Task Set_ThenGet_ReturnsTextAndBytes()
    {
        string key = NewKey();

        Assert.True(await Client.SetAsync(key, "värde"));

        Assert.Equal("värde", await Client.GetAsync(key));
        Assert.Equal(Encoding.UTF8.GetBytes("värde"), await Client.GetBytesAsync(key));
    }

    [Fact]
    public async Task Set_BinaryValue_RoundTripsExactly()
    {
        string key = NewKey();
        byte[] value = [0, 13, 10, 255, 36, 42];

        await Client.SetAsync(key, value);

        Assert.Equal(value, await Client.GetBytesAsync(key));
    }

    [Fact]
    public async Task Set_WithExpiry_SetsMillisecondTtl()
    {
        string key = NewKey();

        await Client.SetAsync(key, "v", TimeSpan.FromSeconds(30));

        TimeSpan? ttl = await Client.PTtlAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Set_IfNotExists_OnExistingKey_ReturnsFalseAndKeepsValue()
    {
        string key = NewKey();

        Assert.True(await Client.SetAsync(key, "first", condition: SetCondition.IfNotExists));
        Assert.False(await Client.SetAsync(key, "second", TimeSpan.FromSeconds(10), SetCondition.IfNotExists));

        Assert.Equal("first", await Client.GetAsync(key));
        Assert.Equal(Timeout.InfiniteTimeSpan, await Client.PTtlAsync(key));
    }

    [Fact]
    public async Task Set_IfExists_OnMissingKey_ReturnsFalseAndWritesNothing()
    {
        string key = NewKey();

        Assert.False(await Client.SetAsync(key, "v", condition: SetCondition.IfExists));

        Assert.Null(await Client.GetAsync(key));
    }

    [Fact]
    public async Task Set_NonPositiveExpiry_ThrowsArgumentOutOfRange()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Client.SetAsync(NewKey(), "v", TimeSpan.Zero));
    }

    [Fact]
    public async Task Delete_ReturnsNumberOfKeysThatExisted()
    {
        string first = NewKey();
        string second = NewKey();
        await Client.SetAsync(first, "1");
        await Client.SetAsync(second, "2");

        Assert.Equal(2, await Client.DeleteAsync(first, second, NewKey()));
        Assert.Equal(0, await Client.DeleteAsync(first));
        Assert.Null(await Client.GetAsync(first));
    }

    [Fact]
    public async Task PExpire_ExistingKey_SetsTtl_MissingKey_ReturnsFalse()
    {
        string key = NewKey();
        await Client.SetAsync(key, "v");

        Assert.True(await Client.PExpireAsync(key, TimeSpan.FromMilliseconds(2500)));
        Assert.False(await Client.PExpireAsync(NewKey(), TimeSpan.FromSeconds(1)));

        Assert.InRange((await Client.PTtlAsync(key))!.Value, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(2500));
    }

    [Fact]
    public async Task PExpire_ShortTtl_KeyDisappears()
    {
        string key = NewKey();
        await Client.SetAsync(key, "v");

        await Client.PExpireAsync(key, TimeSpan.FromMilliseconds(50));
        await Task.Delay(150);

        Assert.Null(await Client.GetAsync(key));
    }

    [Fact]
    public async Task Expire_FractionalSeconds_RoundsUpToWholeSeconds()
    {
        string key = NewKey();
        await Client.SetAsync(key, "v");

        Assert.True(await Client.ExpireAsync(key, TimeSpan.FromMilliseconds(1200)));

        Assert.InRange((await Client.PTtlAsync(key))!.Value, TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task PTtl_MissingKey_ReturnsNull_KeyWithoutExpiry_ReturnsInfinite()
    {
        string key = NewKey();
        await Client.SetAsync(key, "v");

        Assert.Null(await Client.PTtlAsync(NewKey()));
        Assert.Equal(Timeout.InfiniteTimeSpan, await Client.PTtlAsync(key));
    }

    [Fact]
    public async Task Increment_CountsFromZeroAndByTheGivenAmount()
    {
        string key = NewKey();

        Assert.Equal(1, await Client.IncrementAsync(key));
        Assert.Equal(11, await Client.IncrementAsync(key, 10));
        Assert.Equal(8, await Client.IncrementAsync(key, -3));
        Assert.Equal("8", await Client.GetAsync(key));
    }

    [Fact]
    public async Task SetAddRemoveMembers_MaintainTheSet()
    {
        string key = NewKey();

        Assert.Equal(3, await Client.SetAddAsync(key, "a", "b", "c"));
        Assert.Equal(1, await Client.SetAddAsync(key, "a", "d"));
        Assert.Equal(2, await Client.SetRemoveAsync(key, "b", "x", "c"));

        Assert.Equal(["a", "d"], (await Client.SetMembersAsync(key)).Order(StringComparer.Ordinal));
        Assert.Empty(await Client.SetMembersAsync(NewKey()));
    }

    [Fact]
    public async Task SortedSet_AddRemoveRangeByScoreAndLength_WorkAsSlidingWindow()
    {
        string key = NewKey();

        Assert.True(await Client.SortedSetAddAsync(key, "r1", 100));
        Assert.True(await Client.SortedSetAddAsync(key, "r2", 200.5));
        Assert.True(await Client.SortedSetAddAsync(key, "r3", 300));
        Assert.False(await Client.SortedSetAddAsync(key, "r3", 301));

        Assert.Equal(2, await Client.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, 200.5));
        Assert.Equal(1, await Client.SortedSetLengthAsync(key));
        Assert.Equal(0, await Client.SortedSetLengthAsync(NewKey()));
    }

    [Fact]
    public async Task Publish_WithoutSubscribers_ReturnsZero()
    {
        Assert.Equal(0, await Client.PublishAsync(NewKey(), "nobody listens"));
    }

    [Fact]
    public async Task Execute_ArrayReply_ReturnsElementsWithNulls()
    {
        string key = NewKey();
        await Client.SetAsync(key, "v");

        RedisValue reply = await Client.ExecuteAsync("MGET", key, NewKey());

        RedisValue[] items = reply.AsArray()!;
        Assert.Equal("v", items[0].AsString());
        Assert.True(items[1].IsNull);
    }

    [Fact]
    public async Task Execute_UnknownCommand_ThrowsRedisServerExceptionWithServerMessage()
    {
        RedisServerException exception = await Assert.ThrowsAsync<RedisServerException>(async () => await Client.ExecuteAsync("NOSUCHCOMMAND", "x"));

        Assert.Equal("ERR", exception.ErrorCode);
        Assert.Contains("unknown command", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_WrongType_ThrowsRedisServerException_AndConnectionStaysUsable()
    {
        string key = NewKey();
        await Client.SetAddAsync(key, "member");

        RedisServerException exception = await Assert.ThrowsAsync<RedisServerException>(async () => await Client.IncrementAsync(key));

        Assert.Equal("WRONGTYPE", exception.ErrorCode);
        Assert.Equal(1, await Client.IncrementAsync(NewKey()));
    }

    [Theory]
    [InlineData("SUBSCRIBE")]
    [InlineData("multi")]
    [InlineData("SELECT")]
    [InlineData("BLPOP")]
    [InlineData("AUTH")]
    public async Task Execute_CommandThatWouldDisturbTheSharedConnection_ThrowsArgumentException(string command)
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Client.ExecuteAsync(command, "x"));
    }

    [Fact]
    public async Task Execute_ClientReplyOff_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Client.ExecuteAsync("CLIENT", "REPLY", "OFF"));
    }

    [Fact]
    public async Task Connect_WithDefaultDatabase_SelectsItOnTheConnection()
    {
        string key = NewKey();
        await using RedisClient database3 = await RedisClient.ConnectAsync(_fixture.Server.Configuration("defaultDatabase=3"));

        await database3.SetAsync(key, "in-3");

        Assert.Null(await Client.GetAsync(key));
        Assert.Equal("in-3", await database3.GetAsync(key));
    }

    [Fact]
    public async Task Connect_WithSeveralConnections_SpreadsCommandsAndAuthenticatesEach()
    {
        await using RedisClient client = await RedisClient.ConnectAsync(_fixture.Server.Configuration("connectionCount=3"));
        string key = NewKey();

        for (int i = 0; i < 9; i++)
        {
            await client.IncrementAsync(key);
        }

        Assert.True(client.IsConnected);
        Assert.Equal(9, (await client.ExecuteAsync("GET", key)).AsInt64());
        string clients = (await client.ExecuteAsync("CLIENT", "LIST")).AsString()!;
        Assert.True(clients.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 4);
    }

    [Fact]
    public async Task Dispose_ThenCommand_ThrowsObjectDisposedException()
    {
        RedisClient client = await RedisClient.ConnectAsync(_fixture.Server.Configuration());

        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.GetAsync("k"));
    }

    private static string NewKey() => $"test:{Guid.NewGuid():N}";
}
