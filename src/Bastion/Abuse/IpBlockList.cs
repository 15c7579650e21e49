using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>
/// Blocked client addresses, shared by every node: stored in the state store, announced on a channel, and held
/// in memory on each node so the check on every request makes no round trip.
/// </summary>
public sealed class IpBlockList(IStateStore store, IOptions<StateOptions> state, IOptions<AbuseOptions> options, TimeProvider time) : ISharedState
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blocked = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<IPNetwork> _allowlist = options.Value.IpBlocking.Allowlist
        .Select(entry => IPAddress.TryParse(entry, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8) : IPNetwork.Parse(entry))
        .ToList();

    public string Channel => state.Value.KeyPrefix + "ip-blocks";

    public TimeSpan? ReloadInterval => TimeSpan.FromSeconds(5);

    private string IndexKey => state.Value.KeyPrefix + "blocked-ips";

    public bool IsBlocked(IPAddress? address)
        => address is not null && _blocked.TryGetValue(Normalize(address), out var until) && until > time.GetUtcNow();

    public bool IsAllowlisted(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _allowlist.Any(network => network.Contains(normalized));
    }

    /// <summary>The blocks in force, soonest to end first.</summary>
    public IReadOnlyList<(string Address, DateTimeOffset Until)> List()
    {
        var now = time.GetUtcNow();
        return _blocked.Where(b => b.Value > now).OrderBy(b => b.Value).Select(b => (b.Key, b.Value)).ToList();
    }

    /// <summary>Blocks an address on every node for the configured duration; false for an allowlisted one.</summary>
    public async Task<bool> BlockAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IsAllowlisted(address))
        {
            return false;
        }

        var entry = Entry(Normalize(address), time.GetUtcNow() + options.Value.IpBlocking.Duration);
        await store.SetAddAsync(IndexKey, entry, options.Value.IpBlocking.Duration + TimeSpan.FromMinutes(1), cancellationToken);
        await store.PublishAsync(Channel, "+" + entry, cancellationToken);
        await ApplyAsync("+" + entry);
        return true;
    }

    /// <summary>Lifts a block on every node; false when the address was not blocked.</summary>
    public async Task<bool> UnblockAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = Normalize(address);
        var removed = false;
        foreach (var member in await store.SetMembersAsync(IndexKey, cancellationToken))
        {
            if (member.StartsWith(key + "|", StringComparison.Ordinal))
            {
                removed |= await store.SetRemoveAsync(IndexKey, member, cancellationToken);
            }
        }

        removed |= _blocked.TryRemove(key, out _);
        await store.PublishAsync(Channel, "-" + key, cancellationToken);
        return removed;
    }

    public ValueTask ApplyAsync(string message)
    {
        if (message.StartsWith('-'))
        {
            _blocked.TryRemove(message[1..], out _);
        }
        else if (message.StartsWith('+') && TryParse(message[1..], out var address, out var until))
        {
            _blocked[address] = until;
        }

        return ValueTask.CompletedTask;
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var member in await store.SetMembersAsync(IndexKey, cancellationToken))
        {
            if (!TryParse(member, out var address, out var until) || until <= now)
            {
                await store.SetRemoveAsync(IndexKey, member, cancellationToken);
                continue;
            }

            current[address] = until > current.GetValueOrDefault(address) ? until : current[address];
        }

        foreach (var address in _blocked.Keys.Except(current.Keys).ToList())
        {
            _blocked.TryRemove(address, out _);
        }

        foreach (var (address, until) in current)
        {
            _blocked[address] = until;
        }
    }

    private static string Normalize(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static string Entry(string address, DateTimeOffset until) => string.Create(CultureInfo.InvariantCulture, $"{address}|{until.ToUnixTimeMilliseconds()}");

    private static bool TryParse(string entry, out string address, out DateTimeOffset until)
    {
        var bar = entry.LastIndexOf('|');
        address = bar > 0 ? entry[..bar] : string.Empty;
        until = default;
        if (bar <= 0 || !long.TryParse(entry[(bar + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            return false;
        }

        until = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }
}
