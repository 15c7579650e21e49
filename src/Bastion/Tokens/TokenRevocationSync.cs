using Bastion.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bastion.Tokens;

/// <summary>Keeps this node's copy of the revocation list current: the channel for speed, a reload for safety.</summary>
internal sealed partial class TokenRevocationSync(TokenRevocations revocations, IStateStore store, TimeProvider time, ILogger<TokenRevocationSync> logger)
    : BackgroundService
{
    private IAsyncDisposable? _subscription;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = await store.SubscribeAsync(revocations.Channel, revocations.ApplyAsync, cancellationToken);
        await revocations.ReloadAsync(cancellationToken);
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
        using var timer = new PeriodicTimer(TokenRevocations.ReloadInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await revocations.ReloadAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.ReloadFailed(logger, exception);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not reload the token revocation list; keeping the copy in memory", EventName = "RevocationReloadFailed")]
        public static partial void ReloadFailed(ILogger logger, Exception exception);
    }
}
