using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Storage;

/// <summary>
/// Keeps SQLite's query planner informed: <c>PRAGMA optimize</c> a minute after start and every hour, as SQLite
/// recommends for long-lived connections (https://sqlite.org/lang_analyze.html#periodic_analysis). Without the
/// statistics it gathers, SQLite picks indexes by shape alone and can walk a whole department's records for a search
/// that one row answers. PostgreSQL gathers its statistics itself (autovacuum), so this does nothing there.
/// </summary>
public sealed partial class SqliteMaintenance(IServiceScopeFactory scopes, IOptions<DatabaseOptions> database, TimeProvider time, ILogger<SqliteMaintenance> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Gathers statistics for the tables that need them; cheap when nothing has changed much.</summary>
    public async Task OptimizeAsync(CancellationToken cancellationToken = default)
    {
        if (database.Value.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();

        // analysis_limit keeps ANALYZE to a sample of each index, so a large table costs milliseconds, not seconds.
        await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit = 1000; PRAGMA optimize;", cancellationToken);
        Log.Optimized(logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Value.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        try
        {
            await Task.Delay(FirstRun, time, stoppingToken);
            using var timer = new PeriodicTimer(Interval, time);
            do
            {
                try
                {
                    await OptimizeAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Statistics are an optimisation: a failed run is logged and tried again in an hour.
                    Log.Failed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Refreshed SQLite's planner statistics (PRAGMA optimize)", EventName = "SqliteOptimized")]
        public static partial void Optimized(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "Could not refresh SQLite's planner statistics; trying again in an hour", EventName = "SqliteOptimizeFailed")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
