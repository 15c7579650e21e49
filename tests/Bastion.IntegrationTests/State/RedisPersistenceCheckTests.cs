namespace Bastion.IntegrationTests.State;

/// <summary>A node on a Redis that keeps nothing on disk says so at start; one on a persistent Redis does not.</summary>
public sealed class RedisPersistenceCheckTests
{
    [ProductionStorageFact]
    public async Task Start_OnRedisWithoutAofOrRdb_LogsWarning()
        => Assert.Contains(await StartupLogAsync(persistent: false), entry => entry.StartsWith("Warning", StringComparison.Ordinal) && entry.Contains("keeps no data on disk", StringComparison.Ordinal));

    [ProductionStorageFact]
    public async Task Start_OnRedisWithAof_LogsNoWarning()
    {
        var entries = await StartupLogAsync(persistent: true);

        Assert.DoesNotContain(entries, entry => entry.Contains("keeps no data on disk", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, entry => entry.Contains("Could not check whether Redis persists", StringComparison.Ordinal));
    }

    private static async Task<List<string>> StartupLogAsync(bool persistent)
    {
        await using var redis = new RedisServerProcess(persistent);
        await redis.StartAsync();
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHost.StartAsync(
            new Dictionary<string, string?> { ["Bastion:State:Redis"] = redis.Configuration, ["Bastion:State:KeyPrefix"] = "persistence:" },
            configure: builder =>
            {
                // Debug too, so that a check that could not run ("not checked") would show.
                builder.Logging.AddFilter(typeof(Bastion.State.RedisPersistenceCheck).FullName, LogLevel.Debug);
                builder.Logging.AddProvider(logs);
            });
        return logs.Entries.Where(entry => entry.Contains(nameof(Bastion.State.RedisPersistenceCheck), StringComparison.Ordinal)).ToList();
    }
}
