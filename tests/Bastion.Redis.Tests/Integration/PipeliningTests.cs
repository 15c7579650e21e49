using Bastion.Redis.Tests.Infrastructure;

namespace Bastion.Redis.Tests.Integration;

public sealed class PipeliningTests : IClassFixture<PasswordProtectedServerFixture>
{
    private readonly PasswordProtectedServerFixture _fixture;

    public PipeliningTests(PasswordProtectedServerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Increment_TenThousandConcurrentCalls_CountExactlyTenThousand()
    {
        string key = $"counter:{Guid.NewGuid():N}";

        long[] results = await Task.WhenAll(Enumerable.Range(0, 10_000).Select(_ => _fixture.Client.IncrementAsync(key).AsTask()));

        Assert.Equal(10_000, (await _fixture.Client.ExecuteAsync("GET", key)).AsInt64());

        // Every caller saw a distinct value: no reply was duplicated or handed to the wrong caller.
        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => (long)i), results.Order());
    }

    [Fact]
    public async Task MixedConcurrentCommands_EachCallerReceivesItsOwnReply()
    {
        RedisClient client = _fixture.Client;
        string prefix = $"mixed:{Guid.NewGuid():N}:";

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => client.SetAsync(prefix + i, $"value-{i}").AsTask()));
        var checks = Enumerable.Range(0, 2_000).Select(async i =>
        {
            // Interleave replies of every shape: bulk, integer, null, array, status and error.
            switch (i % 6)
            {
                case 0:
                    Assert.Equal($"value-{i % 500}", await client.GetAsync(prefix + (i % 500)));
                    break;
                case 1:
                    Assert.Equal(i, await client.IncrementAsync(prefix + "n" + i, i));
                    break;
                case 2:
                    Assert.Null(await client.GetAsync(prefix + "missing" + i));
                    break;
                case 3:
                    RedisValue[] pair = (await client.ExecuteAsync("MGET", prefix + (i % 500), prefix + "none")).AsArray()!;
                    Assert.Equal($"value-{i % 500}", pair[0].AsString());
                    Assert.True(pair[1].IsNull);
                    break;
                case 4:
                    Assert.Equal($"echo-{i}", (await client.ExecuteAsync("ECHO", $"echo-{i}")).AsString());
                    break;
                default:
                    await Assert.ThrowsAsync<RedisServerException>(async () => await client.ExecuteAsync("HGET", prefix + (i % 500), "f"));
                    break;
            }
        });

        await Task.WhenAll(checks);
    }

    [Fact]
    public async Task Increment_ConcurrentCallsOverSeveralConnections_CountExactly()
    {
        await using RedisClient client = await RedisClient.ConnectAsync(_fixture.Server.Configuration("connectionCount=4"));
        string key = $"counter:{Guid.NewGuid():N}";

        await Task.WhenAll(Enumerable.Range(0, 4_000).Select(_ => client.IncrementAsync(key).AsTask()));

        Assert.Equal("4000", await client.GetAsync(key));
    }

    [Fact]
    public async Task LargeValues_ConcurrentlyWrittenAndRead_ArriveIntact()
    {
        RedisClient client = _fixture.Client;
        string prefix = $"large:{Guid.NewGuid():N}:";
        string[] values = [.. Enumerable.Range(0, 20).Select(i => new string((char)('a' + i), 100_000 + i))];

        await Task.WhenAll(values.Select((v, i) => client.SetAsync(prefix + i, v).AsTask()));
        string?[] read = await Task.WhenAll(values.Select((_, i) => client.GetAsync(prefix + i).AsTask()));

        Assert.Equal(values, read);
    }
}
