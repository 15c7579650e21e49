using System.Globalization;
using System.Text;
using Bastion.State;

namespace Bastion.Abuse;

/// <summary>
/// The account-wide lock for unfamiliar sources. Its length doubles with each lock while the last one is
/// remembered (<see cref="AccountLockoutOptions.Window"/> past its end), up to the maximum: the first lock forgives
/// an owner who mistyped on a new device within minutes, while steady guessing is held to a few batches a day.
/// A fixed length that met the same daily budget would have to keep every fumbling owner out for hours.
/// </summary>
internal sealed class AccountLockout(IStateStore store, string prefix, AccountLockoutOptions options)
{
    public CounterRule Rule(string account) => new(CounterKey(account), options.MaxFailures, options.Window);

    public async ValueTask<TimeSpan?> RemainingAsync(string account, CancellationToken cancellationToken)
        => await store.GetTimeToLiveAsync(LockKey(account), cancellationToken) is { } remaining && remaining > TimeSpan.Zero ? remaining : null;

    public ValueTask<long> ReleaseAsync(string account, CancellationToken cancellationToken) => store.ReleaseAsync(CounterKey(account), cancellationToken);

    /// <summary>Locks the account for unfamiliar sources; the lock's length, or null when another request locked it first.</summary>
    public async ValueTask<TimeSpan?> EngageAsync(string account, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(StrikesKey(account), cancellationToken);
        var strikes = stored is null ? 0 : long.Parse(Encoding.UTF8.GetString(stored), CultureInfo.InvariantCulture);
        var duration = Duration(strikes);
        if (!await store.SetIfAbsentAsync(LockKey(account), "1"u8.ToArray(), duration, cancellationToken))
        {
            return null;
        }

        await store.SetAsync(StrikesKey(account), Encoding.UTF8.GetBytes((strikes + 1).ToString(CultureInfo.InvariantCulture)), duration + options.Window, cancellationToken);
        // A fresh count once the lock ends: the lock, not a full counter, is what keeps unfamiliar sources out.
        await store.DeleteAsync(CounterKey(account), cancellationToken);
        return duration;
    }

    /// <summary>The length of the lock after <paramref name="strikes"/> earlier ones.</summary>
    public TimeSpan Duration(long strikes)
    {
        var doubled = options.Duration * Math.Pow(2, Math.Min(strikes, 30));
        return doubled < options.MaxDuration ? doubled : options.MaxDuration;
    }

    private string CounterKey(string account) => $"{prefix}signin-fail-unfamiliar:{account}";

    private string LockKey(string account) => $"{prefix}signin-lock-unfamiliar:{account}";

    private string StrikesKey(string account) => $"{prefix}signin-lock-strikes:{account}";
}
