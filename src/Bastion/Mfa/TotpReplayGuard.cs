using System.Buffers.Binary;
using System.Globalization;
using Bastion.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>
/// Makes each TOTP usable once per user on every node (OWASP ASVS 5.0 §6.5.1, RFC 6238 §5.2: "the verifier MUST NOT
/// accept the second attempt of the OTP after the successful validation has been issued for the first OTP").
/// </summary>
/// <remarks>
/// Two rules, both kept in the shared <see cref="IStateStore"/>:
/// <list type="bullet">
/// <item>a step is claimed with <see cref="IStateStore.SetIfAbsentAsync"/>, so of two requests carrying the same code,
/// on any nodes, exactly one succeeds;</item>
/// <item>the last accepted step is stored and every step up to it is refused, so a code from an earlier step that is
/// still inside the window cannot be used after a later one (an observed code is worthless once the user signs in).</item>
/// </list>
/// Both entries live for the window's span, (2 × Window + 1) × 30 s, after which the clock check refuses those steps,
/// plus one step so that a node whose clock runs a few seconds behind cannot accept a step its entry no longer guards.
/// If two different codes of one user are accepted at the same instant, the stored last step may end as the lower of
/// the two; each code is still accepted only once.
/// </remarks>
public sealed partial class TotpReplayGuard
{
    private readonly IStateStore _store;
    private readonly IOptions<MfaOptions> _options;
    private readonly ILogger<TotpReplayGuard> _logger;

    private readonly string _prefix = string.Empty;

    /// <summary>The guard with its keys under the configured state-store prefix (<c>Bastion:State:KeyPrefix</c>).</summary>
    public TotpReplayGuard(IStateStore store, IOptions<MfaOptions> options, IOptions<StateOptions> state, ILogger<TotpReplayGuard> logger)
        : this(store, options, logger)
    {
        ArgumentNullException.ThrowIfNull(state);
        _prefix = state.Value.KeyPrefix;
    }

    public TotpReplayGuard(IStateStore store, IOptions<MfaOptions> options, ILogger<TotpReplayGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Records that <paramref name="userId"/> used the code of <paramref name="timeStep"/> (the value returned by
    /// <see cref="Totp.Verify"/>); false when that step, or a later one, was already accepted for the user.
    /// </summary>
    public async ValueTask<bool> TryAcceptAsync(string userId, long timeStep, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentOutOfRangeException.ThrowIfNegative(timeStep);
        var lifetime = TimeSpan.FromSeconds(Totp.StepSeconds * ((2 * _options.Value.Window) + 2));
        var lastKey = _prefix + "mfa:totp:last:" + userId;

        var last = await _store.GetAsync(lastKey, cancellationToken);
        if (last is { Length: sizeof(long) } && timeStep <= BinaryPrimitives.ReadInt64BigEndian(last))
        {
            Log.StepNotAfterLastAccepted(_logger, userId);
            return false;
        }

        // The step is the last segment and has no ':', so no user id can produce another user's key.
        var stepKey = string.Create(CultureInfo.InvariantCulture, $"{_prefix}mfa:totp:used:{userId}:{timeStep}");
        if (!await _store.SetIfAbsentAsync(stepKey, "1"u8.ToArray(), lifetime, cancellationToken))
        {
            Log.StepAlreadyUsed(_logger, userId);
            return false;
        }

        var value = new byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(value, timeStep);
        await _store.SetAsync(lastKey, value, lifetime, cancellationToken);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused a TOTP code for user {UserId}: it was already used", EventName = "TotpReplayRefused")]
        public static partial void StepAlreadyUsed(ILogger logger, string userId);

        [LoggerMessage(2, LogLevel.Warning, "Refused a TOTP code for user {UserId}: a code of the same or a later time step was already accepted", EventName = "TotpStaleStepRefused")]
        public static partial void StepNotAfterLastAccepted(ILogger logger, string userId);
    }
}
