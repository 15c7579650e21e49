using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bastion.State;

/// <summary>Subscribes every <see cref="ISharedState"/> to its channel, loads it at start and reloads it on its interval.</summary>
internal sealed partial class SharedStateSync(IEnumerable<ISharedState> states, IStateStore store, TimeProvider time, ILogger<SharedStateSync> logger)
    : BackgroundService
{
    private readonly List<IAsyncDisposable> _subscriptions = [];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var state in states)
        {
            _subscriptions.Add(await store.SubscribeAsync(state.Channel, state.ApplyAsync, cancellationToken));
            await state.ReloadAsync(cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var subscription in _subscriptions)
        {
            await subscription.DisposeAsync();
        }

        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(states.Where(s => s.ReloadInterval is not null).Select(state => ReloadLoopAsync(state, stoppingToken)));

    private async Task ReloadLoopAsync(ISharedState state, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(state.ReloadInterval!.Value, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await state.ReloadAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The copy in memory stays in use; the next tick tries again.
                Log.ReloadFailed(logger, state.Channel, exception);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not reload shared state {Channel}; keeping the copy in memory", EventName = "SharedStateReloadFailed")]
        public static partial void ReloadFailed(ILogger logger, string channel, Exception exception);
    }
}
