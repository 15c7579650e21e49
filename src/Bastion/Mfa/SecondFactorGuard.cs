using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>
/// Counts wrong second-factor codes per account, whatever the address, the pending sign-in or the number of
/// password sign-ins they came through, and locks second-factor entry after
/// <see cref="MfaOptions.MaxSecondFactorFailures"/> (OWASP ASVS 5.0 §6.3.1, NIST SP 800-63B §5.2.2). The password
/// lockout counts per account and address and a correct password clears it, so without this a stolen password
/// could buy unlimited code guesses from many addresses. Only a correct second factor resets the count.
/// </summary>
/// <remarks>
/// Whoever knows the password can lock the owner's second-factor entry for <see cref="MfaOptions.SecondFactorLockout"/>;
/// that is the price of a bounded guess, and the owner is best served by changing the password anyway.
/// </remarks>
public sealed class SecondFactorGuard(IStateStore store, IOptions<MfaOptions> options, IOptions<StateOptions> state)
{
    /// <summary>How long second-factor entry stays locked for the user, or null when it is open.</summary>
    public async ValueTask<TimeSpan?> LockedForAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var key = Key(userId);
        if (await store.IncrementAsync(key, 0, options.Value.SecondFactorLockout, cancellationToken) < options.Value.MaxSecondFactorFailures)
        {
            return null;
        }

        return await store.GetTimeToLiveAsync(key, cancellationToken) is { } remaining && remaining > TimeSpan.Zero ? remaining : null;
    }

    /// <summary>Counts a wrong code; true when it locked second-factor entry.</summary>
    public async ValueTask<bool> RecordFailureAsync(Guid userId, CancellationToken cancellationToken = default)
        => await store.IncrementAsync(Key(userId), 1, options.Value.SecondFactorLockout, cancellationToken) == options.Value.MaxSecondFactorFailures;

    /// <summary>A correct second factor ends the count.</summary>
    public ValueTask<bool> ResetAsync(Guid userId, CancellationToken cancellationToken = default) => store.DeleteAsync(Key(userId), cancellationToken);

    private string Key(Guid userId) => $"{state.Value.KeyPrefix}mfa-failures:{userId:N}";
}
