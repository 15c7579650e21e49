namespace Bastion.FaultTests.Phases;

/// <summary>The faults of issue 11, in the order they run. Node B is the one killed; node A runs throughout.</summary>
internal static class PhaseCatalog
{
    public static IReadOnlyList<FaultPhase> All { get; } =
    [
        new("redis-kill", "Redis SIGKILL, down for the outage, restarted without persistence (its data is gone); then node B restarted (issue 11, scenario 4)",
            LosesSessions: true, KillsNode: false, Nothing, RedisKillAsync(appendOnly: false, restartNodeAfter: true)),
        new("redis-kill-aof", "Redis with its append-only file on: SIGKILL, down for the outage, restarted from the AOF",
            LosesSessions: false, KillsNode: false, c => c.Cluster.Redis.EnableAppendOnlyAsync(), RedisKillAsync(appendOnly: true, restartNodeAfter: false)),
        new("redis-flushall", "Redis FLUSHALL (every key gone, the server stays up); then node B restarted",
            LosesSessions: true, KillsNode: false, Nothing, FlushAllAsync),
        new("pg-restart-fast", "pg_ctl restart -m fast (connections closed, clean shutdown)",
            LosesSessions: false, KillsNode: false, Nothing, c => PostgresRestartAsync(c, "fast")),
        new("pg-restart-immediate", "pg_ctl restart -m immediate (no shutdown checkpoint; crash recovery at start)",
            LosesSessions: false, KillsNode: false, Nothing, c => PostgresRestartAsync(c, "immediate")),
        new("node-kill", "node B SIGKILL mid-load, down for the outage, started again",
            LosesSessions: false, KillsNode: true, Nothing, c => NodeDownAsync(c, kill: true)),
        new("node-term", "node B SIGTERM mid-load (graceful stop), down for the outage, started again",
            LosesSessions: false, KillsNode: true, Nothing, c => NodeDownAsync(c, kill: false)),
    ];

    private static Task Nothing(FaultContext context) => Task.CompletedTask;

    private static Func<FaultContext, Task<double>> RedisKillAsync(bool appendOnly, bool restartNodeAfter) => async context =>
    {
        FaultContext.Say("Redis SIGKILL");
        await context.Cluster.Redis.KillAsync();
        await context.OutageAsync();
        await context.Cluster.Redis.StartAsync(appendOnly);
        var back = RunClock.Now;
        FaultContext.Say($"Redis serving again ({(appendOnly ? "AOF replayed" : "empty")})");
        if (restartNodeAfter)
        {
            await context.RestartVictimAsync();
        }

        return back;
    };

    private static async Task<double> FlushAllAsync(FaultContext context)
    {
        FaultContext.Say("Redis FLUSHALL");
        await context.Cluster.Redis.FlushAllAsync();
        var back = RunClock.Now;
        await Task.Delay(context.Durations.Outage, context.CancellationToken);
        await context.RestartVictimAsync();
        return back;
    }

    private static async Task<double> PostgresRestartAsync(FaultContext context, string mode)
    {
        FaultContext.Say($"pg_ctl restart -m {mode}");
        await context.Cluster.Postgres.RestartAsync(mode);
        FaultContext.Say("PostgreSQL accepting connections again");
        return RunClock.Now;
    }

    private static async Task<double> NodeDownAsync(FaultContext context, bool kill)
    {
        var victim = context.Cluster.Victim;
        FaultContext.Say($"node {victim.Name} {(kill ? "SIGKILL" : "SIGTERM")}");
        await (kill ? victim.KillAsync() : victim.TerminateAsync());
        FaultContext.Say($"node {victim.Name} gone");
        await context.OutageAsync();
        await victim.StartAsync(context.Cluster.Http, context.CancellationToken);
        FaultContext.Say($"node {victim.Name} ready again");
        return RunClock.Now;
    }
}
