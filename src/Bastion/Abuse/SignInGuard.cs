using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Bastion.State;
using Bastion.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>
/// Brute-force defence for password sign-in (seed 001): a lockout per account and client address, a growing delay
/// before a failure is answered, and blocking of addresses that fail across many accounts (seed 002). Counters are
/// keyed by a hash of the e-mail as given, whether or not such an account exists, so no answer and no delay tells
/// the two apart; docs/SECURITY.md explains the trade-offs.
/// </summary>
public sealed partial class SignInGuard(
    IStateStore store, IpBlockList blocks, IOptions<AbuseOptions> options, IOptions<StateOptions> state, ILogger<SignInGuard> logger)
{
    private readonly AbuseOptions _options = options.Value;
    private readonly string _prefix = state.Value.KeyPrefix;

    /// <summary>Whether a sign-in from <paramref name="address"/> for <paramref name="email"/> may be tried now.</summary>
    public async Task<SignInGate> CheckAsync(IPAddress? address, string? email, CancellationToken cancellationToken = default)
    {
        if (blocks.IsBlocked(address))
        {
            return SignInGate.Blocked;
        }

        var locked = await store.GetTimeToLiveAsync(LockKey(address, email), cancellationToken);
        return locked is { } remaining && remaining > TimeSpan.Zero ? SignInGate.LockedFor(remaining) : SignInGate.Open;
    }

    /// <summary>Counts a failure; locks and blocks when a threshold is reached; says how long to hold the answer back.</summary>
    public async Task<SignInFailureOutcome> RecordFailureAsync(IPAddress? address, string? email, CancellationToken cancellationToken = default)
    {
        var lockout = _options.Lockout;
        var decision = await store.HitCountersAsync(
        [
            new CounterRule(PairKey(address, email), long.MaxValue, lockout.Window),
            new CounterRule(AccountKey(email), long.MaxValue, lockout.Window),
            new CounterRule(AddressKey(address), long.MaxValue, _options.IpBlocking.Window),
        ], cancellationToken);

        var (pair, account, fromAddress) = (decision.Counters[0].Count, decision.Counters[1].Count, decision.Counters[2].Count);
        var locked = pair >= lockout.MaxFailures;
        if (locked)
        {
            await store.SetAsync(LockKey(address, email), "1"u8.ToArray(), lockout.Duration, cancellationToken);
            await store.DeleteAsync(PairKey(address, email), cancellationToken);
            Log.LockedOut(logger, address?.ToString());
        }

        var blocked = address is not null && fromAddress >= _options.IpBlocking.MaxFailures && !blocks.IsBlocked(address)
            && await blocks.BlockAsync(address, cancellationToken);
        if (blocked)
        {
            Log.AddressBlocked(logger, address!.ToString(), fromAddress);
        }

        var delay = account < 2 ? TimeSpan.Zero : Min(lockout.DelayBase * Math.Pow(2, Math.Min(account - 2, 16)), lockout.MaxDelay);
        return new SignInFailureOutcome(delay, locked, blocked);
    }

    /// <summary>A correct password ends the failure count of this account from this address.</summary>
    public async Task RecordSuccessAsync(IPAddress? address, string? email, CancellationToken cancellationToken = default)
        => await store.DeleteAsync(PairKey(address, email), cancellationToken);

    private string PairKey(IPAddress? address, string? email) => $"{_prefix}signin-fail:{Account(email)}:{address}";

    private string LockKey(IPAddress? address, string? email) => $"{_prefix}signin-lock:{Account(email)}:{address}";

    private string AccountKey(string? email) => $"{_prefix}signin-fail-account:{Account(email)}";

    private string AddressKey(IPAddress? address) => $"{_prefix}signin-fail-ip:{address}";

    // A hash keeps e-mail addresses out of the state store's keys.
    private static string Account(string? email)
        => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(EmailAddress.Normalize(email ?? string.Empty))))[..22];

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Sign-in locked for an account from {Address} after repeated failures", EventName = "SignInLockedOut")]
        public static partial void LockedOut(ILogger logger, string? address);

        [LoggerMessage(2, LogLevel.Warning, "Blocked {Address} after {Failures} failed sign-ins", EventName = "AddressBlocked")]
        public static partial void AddressBlocked(ILogger logger, string address, long failures);
    }
}

/// <summary>The outcome of <see cref="SignInGuard.RecordFailureAsync"/>.</summary>
public sealed record SignInFailureOutcome(TimeSpan Delay, bool LockedNow, bool AddressBlockedNow);

/// <summary>The outcome of <see cref="SignInGuard.CheckAsync"/>.</summary>
public sealed record SignInGate(bool IsBlocked, TimeSpan? LockedRemaining)
{
    public static SignInGate Open { get; } = new(false, null);

    public static SignInGate Blocked { get; } = new(true, null);

    public bool IsOpen => !IsBlocked && LockedRemaining is null;

    public static SignInGate LockedFor(TimeSpan remaining) => new(false, remaining);
}
