using Bastion.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bastion.Tokens;

/// <summary>
/// Loads the signing keys before the server listens, follows other nodes' changes, and rotates on schedule.
/// </summary>
internal sealed partial class SigningKeyMaintenance(SigningKeyRing ring, IStateStore store, TimeProvider time, ILogger<SigningKeyMaintenance> logger)
    : BackgroundService
{
    private IAsyncDisposable? _subscription;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ring.InitializeAsync(cancellationToken);
        _subscription = await store.SubscribeAsync(ring.ChangedChannel, async _ => await ring.ReloadAsync(CancellationToken.None), cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SigningKeyRing.ReloadInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ring.RotateIfDueAsync(stoppingToken);
                await ring.ReloadAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The keys in memory stay valid; the next tick tries again.
                Log.MaintenanceFailed(logger, exception);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Signing-key maintenance failed; keeping the keys already loaded", EventName = "SigningKeyMaintenanceFailed")]
        public static partial void MaintenanceFailed(ILogger logger, Exception exception);
    }
}
