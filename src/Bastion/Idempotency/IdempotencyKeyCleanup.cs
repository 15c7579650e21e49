using Bastion.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bastion.Idempotency;

/// <summary>Deletes idempotency keys past their lifetime, once an hour on every node (the statement is idempotent).</summary>
internal sealed partial class IdempotencyKeyCleanup(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyKeyCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PurgeAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await IdempotencyStore.PurgeAsync(scope.ServiceProvider.GetRequiredService<BastionDbContext>(), time.GetUtcNow(), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.PurgeFailed(logger, exception.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not delete expired idempotency keys ({ExceptionType}); the next hour tries again", EventName = "IdempotencyPurgeFailed")]
        public static partial void PurgeFailed(ILogger logger, string exceptionType);
    }
}
