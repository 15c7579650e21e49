using Bastion.Redis.Tests.Infrastructure;

namespace Bastion.Redis.Tests.Integration;

public sealed class TimeoutTests : IClassFixture<PasswordProtectedServerFixture>
{
    private readonly PasswordProtectedServerFixture _fixture;

    public TimeoutTests(PasswordProtectedServerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Command_NoReplyWithinSyncTimeout_ThrowsTimeoutException_AndLateRepliesDoNotReachLaterCallers()
    {
        string prefix = $"timeout:{Guid.NewGuid():N}:";
        await _fixture.Client.SetAsync(prefix + "one", "one");
        await _fixture.Client.SetAsync(prefix + "two", "two");
        await using RedisClient client = await RedisClient.ConnectAsync(_fixture.Server.Configuration("syncTimeout=400"));

        // DEBUG SLEEP blocks Redis's only command thread. Sent on the same pipelined connection, it is certain to
        // run before the commands queued behind it, which therefore get no reply within the sync timeout.
        Task<RedisValue> sleep = client.ExecuteAsync("DEBUG", "SLEEP", 1.2).AsTask();
        Task<string?> timedOutGet = client.GetAsync(prefix + "one").AsTask();
        Task<long> timedOutIncrement = client.IncrementAsync(prefix + "counter").AsTask();
        Task<RedisValue> timedOutEcho = client.ExecuteAsync("ECHO", "late").AsTask();

        await Assert.ThrowsAsync<TimeoutException>(() => sleep);
        await Assert.ThrowsAsync<TimeoutException>(() => timedOutGet);
        await Assert.ThrowsAsync<TimeoutException>(() => timedOutIncrement);
        TimeoutException exception = await Assert.ThrowsAsync<TimeoutException>(() => timedOutEcho);
        Assert.Contains("ECHO", exception.Message, StringComparison.Ordinal);
        Assert.Contains("400 ms", exception.Message, StringComparison.Ordinal);
        await WaitUntilAwakeAsync(client);

        // The late replies (OK, "one", 1, "late") arrived first and were dropped instead of being handed out here.
        Assert.Equal("two", await client.GetAsync(prefix + "two"));
        Assert.Equal(2, await client.IncrementAsync(prefix + "counter"));
        Assert.Equal("now", (await client.ExecuteAsync("ECHO", "now")).AsString());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Connection_SilentLongerThanUnresponsiveTimeout_IsReplacedAndCommandsRecover()
    {
        var log = new LogCollector();
        RedisConnectionOptions options = _fixture.Server.Options("syncTimeout=200");
        options.UnresponsiveTimeout = TimeSpan.FromMilliseconds(400);
        options.Log = log.Write;
        await using RedisClient client = await RedisClient.ConnectAsync(options);

        await Assert.ThrowsAsync<TimeoutException>(async () => await client.ExecuteAsync("DEBUG", "SLEEP", 1.2));
        await Eventually.TrueAsync(() => log.Lines.Any(l => l.Contains("has not answered", StringComparison.Ordinal)), "the silent connection is dropped");
        await WaitUntilAwakeAsync(client);

        Assert.Equal("back", (await client.ExecuteAsync("ECHO", "back")).AsString());
        Assert.Contains(log.Lines, l => l.Contains("reconnected", StringComparison.Ordinal));
    }

    private static Task WaitUntilAwakeAsync(RedisClient client) => Eventually.TrueAsync(
        async () =>
        {
            try
            {
                await client.PingAsync();
                return true;
            }
            catch (Exception exception) when (exception is TimeoutException or RedisConnectionException)
            {
                return false;
            }
        },
        "the server answers again");
}
