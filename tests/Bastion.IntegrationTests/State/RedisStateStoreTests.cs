using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.IntegrationTests.State;

/// <summary>The contract on a real Redis (the server started by scripts/test.sh).</summary>
public sealed class RedisStateStoreTests : StateStoreContract
{
    private RedisStateStore? _store;

    protected override Task<IStateStore> CreateStoreAsync()
    {
        _store = new RedisStateStore(Options.Create(new StateOptions { Provider = StateProvider.Redis, Redis = TestEnvironment.Redis }));
        return Task.FromResult<IStateStore>(_store);
    }

    public override async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
