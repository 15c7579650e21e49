using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>
/// The whole TOTP check a sign-in needs: the code against the server clock (OWASP ASVS 5.0 §6.5.8) within the
/// configured window, then <see cref="TotpReplayGuard"/> so it is accepted once (§6.5.1).
/// </summary>
/// <remarks>
/// Attempts are not limited here: the caller counts failures per account as for passwords, since a 6-digit code
/// falls to about 10^6 / (2 × Window + 1) guesses.
/// </remarks>
public sealed class TotpVerifier
{
    private readonly Totp _totp;
    private readonly TotpReplayGuard _guard;
    private readonly TimeProvider _time;
    private readonly IOptions<MfaOptions> _options;

    public TotpVerifier(Totp totp, TotpReplayGuard guard, TimeProvider time, IOptions<MfaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(totp);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _totp = totp;
        _guard = guard;
        _time = time;
        _options = options;
    }

    /// <summary>True when <paramref name="code"/> is current for <paramref name="secret"/> and not used before by <paramref name="userId"/>.</summary>
    public ValueTask<bool> VerifyAsync(string userId, ReadOnlySpan<byte> secret, string? code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var step = _totp.Verify(secret, code, _time.GetUtcNow(), _options.Value.Window);
        return step is { } matched ? _guard.TryAcceptAsync(userId, matched, cancellationToken) : ValueTask.FromResult(false);
    }
}
