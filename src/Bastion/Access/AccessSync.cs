using Bastion.State;
using Microsoft.Extensions.Hosting;

namespace Bastion.Access;

/// <summary>Applies other nodes' permission changes to this node's cache as they are announced.</summary>
internal sealed class AccessSync(AccessSubjectStore subjects, IStateStore store) : IHostedService
{
    private IAsyncDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
        => _subscription = await store.SubscribeAsync(subjects.Channel, subjects.ApplyAsync, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }
}
