using Bastion.Protection;
using Bastion.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bastion.State;

/// <summary>
/// Warns at start when the Redis server keeps nothing on disk (neither AOF nor RDB snapshots): sessions, MFA
/// challenges and step-up marks live only in Redis, so a Redis restart would then sign everybody out. A server
/// whose CONFIG command is renamed away or denied (managed services often do that) cannot be checked; that is
/// logged at debug only, since its operator chose it.
/// </summary>
internal sealed partial class RedisPersistenceCheck(IStateStore store, ILogger<RedisPersistenceCheck> logger) : IHostedService
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is not RedisStateStore redis)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            var appendOnly = await redis.GetServerSettingAsync("appendonly", timeout.Token);
            var snapshots = await redis.GetServerSettingAsync("save", timeout.Token);
            if (!string.Equals(appendOnly, "yes", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(snapshots))
            {
                Log.NoPersistence(logger);
            }
        }
        catch (RedisServerException exception)
        {
            Log.NotChecked(logger, exception.ErrorCode);
        }
        catch (Exception exception) when (DependencyFailure.IsTransient(exception, requestAborted: false, shuttingDown: false) && !cancellationToken.IsCancellationRequested)
        {
            // Unreachable now: the state store's own start-up (SharedStateSync) reports that.
            Log.NotChecked(logger, exception.GetType().Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Redis keeps no data on disk (appendonly is off and save is empty): a Redis restart ends every session and pending sign-in. Turn on AOF (appendonly yes) or RDB snapshots (save)", EventName = "RedisWithoutPersistence")]
        public static partial void NoPersistence(ILogger logger);

        [LoggerMessage(2, LogLevel.Debug, "Could not check whether Redis persists its data ({Reason}); CONFIG GET is unavailable", EventName = "RedisPersistenceNotChecked")]
        public static partial void NotChecked(ILogger logger, string reason);
    }
}
