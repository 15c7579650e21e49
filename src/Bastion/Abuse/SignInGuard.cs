using System.Net;
using Bastion.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>
/// Brute-force defence for sign-in (seed 001): a lockout per account and client address, smart lockout of an
/// account for every source it has not signed in from before, a growing delay before a failure is answered, and
/// blocking of addresses that fail across many accounts (seed 002). Counters are keyed by a hash of the e-mail as
/// given (<see cref="AccountHandle"/>), whether or not such an account exists, so no answer and no delay tells the
/// two apart; SECURITY.md explains the trade-offs.
/// </summary>
public sealed partial class SignInGuard(
    IStateStore store, IpBlockList blocks, IOptions<AbuseOptions> options, IOptions<StateOptions> state, ILogger<SignInGuard> logger)
{
    private readonly AbuseOptions _options = options.Value;
    private readonly string _prefix = state.Value.KeyPrefix;
    private readonly AccountLockout _accountLock = new(store, state.Value.KeyPrefix, options.Value.Lockout.Account);
    private readonly FamiliarAddresses _addresses = new(store, state.Value.KeyPrefix, options.Value.Lockout.Familiar);

    /// <summary>
    /// Admits a password sign-in and counts it as a failure before the password is checked, atomically in the
    /// state store, so parallel guesses cannot all pass a gate that has room for one more; the count is given
    /// back when the password turns out right. A source familiar to the account is counted apart from strangers.
    /// </summary>
    public async Task<SignInAttempt> BeginAsync(SignInSource source, string? email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var account = AccountHandle.Of(email);
        if (await CheckAsync(source.Address, email, cancellationToken) is { IsOpen: false } gate)
        {
            return SignInAttempt.Refuse(account, source, gate);
        }

        if (source.DeviceId is { } device)
        {
            var decision = await store.HitCountersAsync([PairRule(source.Address, account), DeviceRule(device)], cancellationToken);
            if (decision.Allowed || decision.RefusedBy == 0)
            {
                return Admit(account, source, SourceFamiliarity.KnownDevice, decision);
            }

            // OWASP device cookies: a device past its own failure limit is treated as an untrusted client.
            source = source with { DeviceId = null };
        }
        else if (await _addresses.IsKnownAsync(account, source.Address, cancellationToken))
        {
            return Admit(account, source, SourceFamiliarity.KnownAddress, await store.HitCountersAsync([PairRule(source.Address, account)], cancellationToken));
        }

        if (await _accountLock.RemainingAsync(account, cancellationToken) is { } locked)
        {
            return SignInAttempt.Refuse(account, source, SignInGate.LockedForUnfamiliar(locked));
        }

        var unfamiliar = await store.HitCountersAsync([PairRule(source.Address, account), _accountLock.Rule(account)], cancellationToken);
        if (unfamiliar.RefusedBy == 1)
        {
            // The last few failures are still being checked; the lock they bring is about to start.
            var remaining = await _accountLock.RemainingAsync(account, cancellationToken) ?? _options.Lockout.Account.Duration;
            return SignInAttempt.Refuse(account, source, SignInGate.LockedForUnfamiliar(remaining));
        }

        return Admit(account, source, SourceFamiliarity.Unfamiliar, unfamiliar);
    }

    /// <summary>The password was wrong: locks and blocks when a threshold is reached; says how long to hold the answer back.</summary>
    public async Task<SignInFailureOutcome> FailAsync(SignInAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var outcome = await CountFailureAsync(attempt.Source.Address, attempt.Account, attempt.PairCount, cancellationToken);
        if (attempt.Familiarity != SourceFamiliarity.Unfamiliar || attempt.AccountCount < _options.Lockout.Account.MaxFailures)
        {
            return outcome;
        }

        var lockedFor = await _accountLock.EngageAsync(attempt.Account, cancellationToken);
        if (lockedFor is { } duration)
        {
            Log.LockedForUnfamiliar(logger, (long)duration.TotalMinutes, attempt.AccountCount);
        }

        return outcome with { AccountLockedFor = lockedFor };
    }

    /// <summary>The password was right: the counts it took are given back, and the pair's failures end.</summary>
    public async Task SucceedAsync(SignInAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        await store.DeleteAsync(PairKey(attempt.Source.Address, attempt.Account), cancellationToken);
        await ReleaseAccountOrDeviceAsync(attempt, cancellationToken);
    }

    /// <summary>The password could not be checked (an outage, a cancelled request): nothing was learnt, so nothing counts.</summary>
    public async Task AbandonAsync(SignInAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        await store.ReleaseAsync(PairKey(attempt.Source.Address, attempt.Account), cancellationToken);
        await ReleaseAccountOrDeviceAsync(attempt, cancellationToken);
    }

    /// <summary>A completed sign-in from <paramref name="address"/> makes that address familiar to the account.</summary>
    public async Task RememberAsync(IPAddress? address, string? email, CancellationToken cancellationToken = default)
        => await _addresses.RememberAsync(AccountHandle.Of(email), address, cancellationToken);

    /// <summary>Whether a sign-in step from <paramref name="address"/> for <paramref name="email"/> may be tried now.</summary>
    public async Task<SignInGate> CheckAsync(IPAddress? address, string? email, CancellationToken cancellationToken = default)
    {
        if (blocks.IsBlocked(address))
        {
            return SignInGate.Blocked;
        }

        var locked = await store.GetTimeToLiveAsync(LockKey(address, AccountHandle.Of(email)), cancellationToken);
        return locked is { } remaining && remaining > TimeSpan.Zero ? SignInGate.LockedFor(remaining) : SignInGate.Open;
    }

    /// <summary>Counts a failed step after the password (a second factor, a step-up) for the account from this address.</summary>
    public async Task<SignInFailureOutcome> RecordFailureAsync(IPAddress? address, string? email, CancellationToken cancellationToken = default)
    {
        var account = AccountHandle.Of(email);
        var pair = await store.HitCountersAsync([new CounterRule(PairKey(address, account), long.MaxValue, _options.Lockout.Window)], cancellationToken);
        return await CountFailureAsync(address, account, pair.Counters[0].Count, cancellationToken);
    }

    /// <summary>A correct answer ends the failure count of this account from this address.</summary>
    public async Task RecordSuccessAsync(IPAddress? address, string? email, CancellationToken cancellationToken = default)
        => await store.DeleteAsync(PairKey(address, AccountHandle.Of(email)), cancellationToken);

    private async Task<SignInFailureOutcome> CountFailureAsync(IPAddress? address, string account, long pairCount, CancellationToken cancellationToken)
    {
        var lockout = _options.Lockout;
        var decision = await store.HitCountersAsync(
        [
            new CounterRule(AccountKey(account), long.MaxValue, lockout.Window),
            new CounterRule(AddressKey(address), long.MaxValue, _options.IpBlocking.Window),
        ], cancellationToken);

        var (accountFailures, fromAddress) = (decision.Counters[0].Count, decision.Counters[1].Count);
        var locked = pairCount >= lockout.MaxFailures;
        if (locked)
        {
            await store.SetAsync(LockKey(address, account), "1"u8.ToArray(), lockout.Duration, cancellationToken);
            await store.DeleteAsync(PairKey(address, account), cancellationToken);
            Log.LockedOut(logger, address?.ToString());
        }

        var blocked = address is not null && fromAddress >= _options.IpBlocking.MaxFailures && !blocks.IsBlocked(address)
            && await blocks.BlockAsync(address, cancellationToken);
        if (blocked)
        {
            Log.AddressBlocked(logger, address!.ToString(), fromAddress);
        }

        var delay = accountFailures < 2 ? TimeSpan.Zero : Min(lockout.DelayBase * Math.Pow(2, Math.Min(accountFailures - 2, 16)), lockout.MaxDelay);
        return new SignInFailureOutcome(delay, locked, blocked);
    }

    private async Task ReleaseAccountOrDeviceAsync(SignInAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Familiarity == SourceFamiliarity.Unfamiliar)
        {
            await _accountLock.ReleaseAsync(attempt.Account, cancellationToken);
        }
        else if (attempt.Familiarity == SourceFamiliarity.KnownDevice)
        {
            await store.ReleaseAsync(DeviceKey(attempt.Source.DeviceId!), cancellationToken);
        }
    }

    private static SignInAttempt Admit(string account, SignInSource source, SourceFamiliarity familiarity, CounterDecision decision)
    {
        if (!decision.Allowed)
        {
            // Only the pair's counter is left to refuse here: as many attempts as it allows are still being checked.
            return SignInAttempt.Refuse(account, source, SignInGate.LockedFor(decision.Counters[0].ResetsIn));
        }

        var accountCount = familiarity == SourceFamiliarity.Unfamiliar ? decision.Counters[1].Count : 0;
        return new SignInAttempt(account, source, familiarity, decision.Counters[0].Count, accountCount, null);
    }

    private CounterRule PairRule(IPAddress? address, string account) => new(PairKey(address, account), _options.Lockout.MaxFailures, _options.Lockout.Window);

    private CounterRule DeviceRule(string device)
        => new(DeviceKey(device), _options.Lockout.Familiar.DeviceMaxFailures, _options.Lockout.Familiar.DeviceWindow);

    private string PairKey(IPAddress? address, string account) => $"{_prefix}signin-fail:{account}:{address}";

    private string LockKey(IPAddress? address, string account) => $"{_prefix}signin-lock:{account}:{address}";

    private string AccountKey(string account) => $"{_prefix}signin-fail-account:{account}";

    private string AddressKey(IPAddress? address) => $"{_prefix}signin-fail-ip:{address}";

    private string DeviceKey(string device) => $"{_prefix}signin-fail-device:{device}";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Sign-in locked for an account from {Address} after repeated failures", EventName = "SignInLockedOut")]
        public static partial void LockedOut(ILogger logger, string? address);

        [LoggerMessage(2, LogLevel.Warning, "Blocked {Address} after {Failures} failed sign-ins", EventName = "AddressBlocked")]
        public static partial void AddressBlocked(ILogger logger, string address, long failures);

        [LoggerMessage(3, LogLevel.Warning, "Sign-in locked for an account from unfamiliar sources for {Minutes} minutes after {Failures} failures", EventName = "SignInLockedForUnfamiliar")]
        public static partial void LockedForUnfamiliar(ILogger logger, long minutes, long failures);
    }
}

/// <summary>The outcome of a counted failure: how long to hold the answer back, and what it locked or blocked.</summary>
public sealed record SignInFailureOutcome(TimeSpan Delay, bool LockedNow, bool AddressBlockedNow)
{
    /// <summary>When this failure locked the account for unfamiliar sources, for how long.</summary>
    public TimeSpan? AccountLockedFor { get; init; }
}

/// <summary>The outcome of <see cref="SignInGuard.CheckAsync"/>.</summary>
public sealed record SignInGate(bool IsBlocked, TimeSpan? LockedRemaining, bool ForUnfamiliarSources = false)
{
    public static SignInGate Open { get; } = new(false, null);

    public static SignInGate Blocked { get; } = new(true, null);

    public bool IsOpen => !IsBlocked && LockedRemaining is null;

    public static SignInGate LockedFor(TimeSpan remaining) => new(false, remaining);

    /// <summary>The account is locked for sources it has not signed in from; familiar ones still may.</summary>
    public static SignInGate LockedForUnfamiliar(TimeSpan remaining) => new(false, remaining, true);
}
