using Bastion.Redis.Tests.Infrastructure;

namespace Bastion.Redis.Tests.Integration;

public sealed class ProtocolFailureTests
{
    [Fact]
    public async Task Execute_ServerSendsInvalidResp_FailsWithConnectionException_AndReconnects()
    {
        await using var server = new ScriptedRedisServer(
            ["+PONG\r\n", "?garbage\r\n"],
            ["+PONG\r\n", "$5\r\nfresh\r\n"]);
        await using RedisClient client = await RedisClient.ConnectAsync($"127.0.0.1:{server.Port}");

        RedisConnectionException exception = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.GetAsync("k"));

        Assert.Contains("protocol error", exception.Message, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => client.IsConnected, "the client reconnects");
        Assert.Equal("fresh", await client.GetAsync("k"));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Connect_ServerNeverAnswersHandshake_FailsAfterConnectTimeout()
    {
        await using var server = new ScriptedRedisServer(Array.Empty<string>());

        RedisConnectionException exception = await Assert.ThrowsAsync<RedisConnectionException>(
            () => RedisClient.ConnectAsync($"127.0.0.1:{server.Port},connectTimeout=300"));

        Assert.Contains("connect timeout of 300 ms", exception.Message, StringComparison.Ordinal);
    }
}
