using Bastion.Redis.Tests.Infrastructure;

namespace Bastion.Redis.Tests.Integration;

public sealed class ScriptTests : IClassFixture<PasswordProtectedServerFixture>
{
    // A fixed-window rate limiter, the shape Bastion uses: INCR, set the window on the first hit, report both.
    private static readonly RedisScript RateLimit = new("""
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return { count, redis.call('PTTL', KEYS[1]) }
        """);

    private readonly PasswordProtectedServerFixture _fixture;

    public ScriptTests(PasswordProtectedServerFixture fixture) => _fixture = fixture;

    private RedisClient Client => _fixture.Client;

    [Fact]
    public async Task ScriptLoad_ReturnsTheLocallyComputedSha1()
    {
        var script = new RedisScript("return 1");

        Assert.Equal(script.Sha1, await Client.ScriptLoadAsync(script));
        Assert.Equal("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", script.Sha1);
    }

    [Fact]
    public async Task Evaluate_PassesKeysAndArguments_AndReturnsNestedResult()
    {
        string key = $"rl:{Guid.NewGuid():N}";

        RedisValue first = await Client.EvaluateAsync(RateLimit, [key], [60_000]);
        RedisValue second = await Client.EvaluateAsync(RateLimit, [key], [60_000]);

        Assert.Equal(1, first.AsArray()![0].AsInt64());
        Assert.Equal(2, second.AsArray()![0].AsInt64());
        Assert.InRange(second.AsArray()![1].AsInt64(), 59_000, 60_000);
    }

    [Fact]
    public async Task Evaluate_AfterScriptFlush_FallsBackToEvalAndCachesTheScriptAgain()
    {
        var script = new RedisScript("return ARGV[1] .. '-' .. KEYS[1]");
        Assert.Equal("a-k", (await Client.EvaluateAsync(script, ["k"], ["a"])).AsString());

        await Client.ExecuteAsync("SCRIPT", "FLUSH");
        Assert.Equal(0, (await Client.ExecuteAsync("SCRIPT", "EXISTS", script.Sha1)).AsArray()![0].AsInt64());

        Assert.Equal("b-k", (await Client.EvaluateAsync(script, ["k"], ["b"])).AsString());
        Assert.Equal(1, (await Client.ExecuteAsync("SCRIPT", "EXISTS", script.Sha1)).AsArray()![0].AsInt64());
    }

    [Fact]
    public async Task Evaluate_NeverLoadedScript_RunsThroughEvalFallback()
    {
        var script = new RedisScript($"return '{Guid.NewGuid():N}'");

        RedisValue reply = await Client.EvaluateAsync(script);

        Assert.Equal(32, reply.AsString()!.Length);
    }

    [Fact]
    public async Task Evaluate_ScriptRaisesError_ThrowsRedisServerException()
    {
        var script = new RedisScript("return redis.error_reply('LIMIT exceeded')");

        RedisServerException exception = await Assert.ThrowsAsync<RedisServerException>(async () => await Client.EvaluateAsync(script));

        Assert.Equal("LIMIT exceeded", exception.Message);
    }

    [Fact]
    public async Task Evaluate_ScriptReturningErrorInsideTable_ReturnsItAsErrorValue()
    {
        var script = new RedisScript("return { 1, redis.error_reply('INNER failure') }");

        RedisValue reply = await Client.EvaluateAsync(script);

        Assert.Equal(RedisValueKind.Error, reply.AsArray()![1].Kind);
        Assert.Equal("INNER failure", reply.AsArray()![1].AsString());
    }
}
