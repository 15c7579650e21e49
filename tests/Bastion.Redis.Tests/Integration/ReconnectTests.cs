using System.Collections.Concurrent;
using System.Diagnostics;
using Bastion.Redis.Tests.Infrastructure;

namespace Bastion.Redis.Tests.Integration;

public sealed class ReconnectTests : IClassFixture<RestartableServerFixture>
{
    private readonly RedisServerProcess _server;

    public ReconnectTests(RestartableServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Execute_AfterServerRestart_Reconnects()
    {
        await using RedisClient client = await RedisClient.ConnectAsync(_server.Configuration());
        await client.SetAsync("before", "restart");

        await _server.RestartAsync();

        Assert.True(await client.SetAsync("after", "restart"));
        Assert.Equal("restart", await client.GetAsync("after"));
        Assert.Null(await client.GetAsync("before"));
    }

    [Fact]
    public async Task Execute_DuringOutage_WaitsForReconnectionInsteadOfFailing()
    {
        await using RedisClient client = await RedisClient.ConnectAsync(_server.Configuration("connectTimeout=5000"));
        await _server.StopAsync();
        await Eventually.TrueAsync(() => !client.IsConnected, "the client notices the outage");

        Task<long> increment = client.IncrementAsync("during-outage").AsTask();
        await Task.Delay(300);
        Assert.False(increment.IsCompleted);
        await _server.StartAsync();

        Assert.Equal(1, await increment);
    }

    [Fact]
    public async Task Execute_OutageLongerThanConnectTimeout_ThrowsRedisConnectionException()
    {
        await using RedisClient client = await RedisClient.ConnectAsync(_server.Configuration("connectTimeout=300"));
        await _server.StopAsync();
        try
        {
            await Eventually.TrueAsync(() => !client.IsConnected, "the client notices the outage");
            var stopwatch = Stopwatch.StartNew();

            RedisConnectionException exception = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.GetAsync("k"));

            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
            Assert.Contains("connect timeout of 300 ms", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            await _server.StartAsync();
        }

        await Eventually.TrueAsync(async () => await client.PingAsync() > TimeSpan.Zero, "the client works again");
    }

    [Fact]
    public async Task PendingCommand_WhenServerDies_FailsFastWithRedisConnectionException()
    {
        await using RedisClient client = await RedisClient.ConnectAsync(_server.Configuration("syncTimeout=10000"));

        // The GET queues behind the DEBUG SLEEP on the same connection, so both are in flight when the server dies.
        Task<RedisValue> sleep = client.ExecuteAsync("DEBUG", "SLEEP", 5).AsTask();
        Task<string?> pending = client.GetAsync("k").AsTask();
        await Task.Delay(100);
        var stopwatch = Stopwatch.StartNew();

        await _server.StopAsync();

        RedisConnectionException exception = await Assert.ThrowsAsync<RedisConnectionException>(() => pending);
        await Assert.ThrowsAsync<RedisConnectionException>(() => sleep);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"failing took {stopwatch.Elapsed}");
        Assert.Contains("may or may not have run", exception.Message, StringComparison.Ordinal);
        await _server.StartAsync();
        Assert.Null(await client.GetAsync("k"));
    }

    [Fact]
    public async Task CommandLoop_WhileServerRestarts_CommandsSucceedOrFailWithConnectionException_AndRecover()
    {
        await using RedisClient client = await RedisClient.ConnectAsync(_server.Configuration());
        var failures = new ConcurrentQueue<Exception>();
        long successes = 0;
        using var stop = new CancellationTokenSource();

        async Task LoopAsync(int worker)
        {
            for (int i = 0; !stop.IsCancellationRequested && i < 100_000; i++)
            {
                try
                {
                    await client.IncrementAsync($"loop:{worker}");
                    Interlocked.Increment(ref successes);
                }
                catch (Exception exception)
                {
                    failures.Enqueue(exception);
                }
            }
        }

        Task[] loops = [.. Enumerable.Range(0, 4).Select(w => Task.Run(() => LoopAsync(w)))];
        await Task.Delay(200);
        await _server.RestartAsync();
        await Task.Delay(200);
        await _server.RestartAsync();
        long successesBeforeEnd = Interlocked.Read(ref successes);
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.All(failures, f => Assert.IsType<RedisConnectionException>(f));
        Assert.True(Interlocked.Read(ref successes) > successesBeforeEnd, "commands succeed again after the last restart");
        Assert.Equal(1, await client.IncrementAsync("after-loop"));
    }

    [Fact]
    public async Task Subscribe_AfterServerRestart_ResubscribesAutomatically()
    {
        await using RedisClient client = await RedisClient.ConnectAsync(_server.Configuration());
        var received = new ConcurrentQueue<string>();
        await using IAsyncDisposable subscription = await client.SubscribeAsync("revocations", message =>
        {
            received.Enqueue(message);
            return ValueTask.CompletedTask;
        });

        await _server.RestartAsync();
        await Eventually.TrueAsync(async () => await client.PublishAsync("revocations", "token-1") == 1, "the subscriber is subscribed again");

        await Eventually.TrueAsync(() => received.Contains("token-1"), "the message published after the restart arrives");
    }

    [Fact]
    public async Task Reconnect_ReplaysAuthenticationAndDefaultDatabase()
    {
        await using RedisClient client = await RedisClient.ConnectAsync(_server.Configuration("defaultDatabase=5"));

        await _server.RestartAsync();
        await client.SetAsync("db-check", "in-5");

        await using RedisClient database5 = await RedisClient.ConnectAsync(_server.Configuration("defaultDatabase=5"));
        await using RedisClient database0 = await RedisClient.ConnectAsync(_server.Configuration());
        Assert.Equal("in-5", await database5.GetAsync("db-check"));
        Assert.Null(await database0.GetAsync("db-check"));
    }

    [Fact]
    public async Task Dispose_DuringOutage_FailsWaitingCommandsAndStopsReconnecting()
    {
        RedisClient client = await RedisClient.ConnectAsync(_server.Configuration("connectTimeout=5000"));
        await _server.StopAsync();
        try
        {
            await Eventually.TrueAsync(() => !client.IsConnected, "the client notices the outage");
            Task<string?> waiting = client.GetAsync("k").AsTask();

            await client.DisposeAsync();

            await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        }
        finally
        {
            await _server.StartAsync();
        }
    }
}
