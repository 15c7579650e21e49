using System.Net;
using Bastion.State;

namespace Bastion.Abuse;

/// <summary>
/// Addresses an account signed in from, for clients that keep no device cookie. Each expires on its own after
/// <see cref="FamiliarSourceOptions.AddressLifetime"/> without a sign-in, and an account learns at most
/// <see cref="FamiliarSourceOptions.MaxAddresses"/> new ones per lifetime, so the list stays bounded.
/// </summary>
internal sealed class FamiliarAddresses(IStateStore store, string prefix, FamiliarSourceOptions options)
{
    public async ValueTask<bool> IsKnownAsync(string account, IPAddress? address, CancellationToken cancellationToken)
        => options.RememberAddresses && address is not null && await store.GetAsync(Key(account, address), cancellationToken) is not null;

    public async ValueTask RememberAsync(string account, IPAddress? address, CancellationToken cancellationToken)
    {
        if (!options.RememberAddresses || address is null)
        {
            return;
        }

        if (await store.GetAsync(Key(account, address), cancellationToken) is null)
        {
            var budget = await store.HitCountersAsync([new CounterRule($"{prefix}signin-known-address-count:{account}", options.MaxAddresses, options.AddressLifetime)], cancellationToken);
            if (!budget.Allowed)
            {
                return;
            }
        }

        await store.SetAsync(Key(account, address), "1"u8.ToArray(), options.AddressLifetime, cancellationToken);
    }

    private string Key(string account, IPAddress address)
        => $"{prefix}signin-known-address:{account}:{(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)}";
}
