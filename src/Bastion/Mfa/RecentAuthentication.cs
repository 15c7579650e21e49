using System.Globalization;
using System.Text;
using Bastion.Sessions;
using Bastion.State;
using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>
/// Remembers, per sign-in (the <c>sid</c> of a session or token family), when the user last proved who they are in
/// full: the password, and the second factor when the account has one. Sensitive changes ask for this to be recent
/// (OWASP ASVS 5.0 §7.5.1, seed 001's <c>@mfa_required</c>), so a session left open, or a stolen access token,
/// cannot change the password, the second factors, roles or the e-mail address on its own.
/// </summary>
/// <remarks>
/// Kept in the shared state store, so a step-up done on one node counts on every node; the entry expires after
/// <see cref="MfaOptions.StepUpMaxAge"/>. The sign-in itself counts as an authentication, as in GitHub's sudo mode.
/// </remarks>
public sealed class RecentAuthentication(IStateStore store, IOptions<MfaOptions> options, IOptions<StateOptions> state, TimeProvider time)
{
    /// <summary>Records that the user of <paramref name="sessionId"/> has just authenticated with <paramref name="amr"/>.</summary>
    public ValueTask RecordAsync(Guid userId, string sessionId, IEnumerable<string> amr, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(amr);
        var secondFactor = amr.Contains(AuthenticationMethods.MultiFactor, StringComparer.Ordinal) ? 1 : 0;
        var value = string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().ToUnixTimeSeconds()}:{secondFactor}");
        return store.SetAsync(Key(userId, sessionId), Encoding.ASCII.GetBytes(value), options.Value.StepUpMaxAge, cancellationToken);
    }

    /// <summary>
    /// True when the user of <paramref name="sessionId"/> authenticated within <see cref="MfaOptions.StepUpMaxAge"/>,
    /// with a second factor when <paramref name="secondFactorRequired"/>.
    /// </summary>
    public async ValueTask<bool> IsRecentAsync(Guid userId, string sessionId, bool secondFactorRequired, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var stored = await store.GetAsync(Key(userId, sessionId), cancellationToken);
        if (stored is null)
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(stored);
        var separator = text.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0 || !long.TryParse(text.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var at))
        {
            return false;
        }

        // The entry's lifetime already bounds the age; the time is checked as well so that lowering StepUpMaxAge
        // applies at once to entries written under the old value.
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(at);
        return age <= options.Value.StepUpMaxAge && (!secondFactorRequired || text.AsSpan(separator + 1).SequenceEqual("1"));
    }

    /// <summary>Forgets the step-up of one sign-in (it ended).</summary>
    public ValueTask<bool> ForgetAsync(Guid userId, string sessionId, CancellationToken cancellationToken = default)
        => store.DeleteAsync(Key(userId, sessionId), cancellationToken);

    private string Key(Guid userId, string sessionId) => $"{state.Value.KeyPrefix}step-up:{userId:N}:{sessionId}";
}

/// <summary>The <c>amr</c> values (RFC 8176) Bastion writes into sessions and access tokens.</summary>
public static class AuthenticationMethods
{
    /// <summary>A password (RFC 8176 <c>pwd</c>).</summary>
    public const string Password = "pwd";

    /// <summary>A one-time password from an authenticator app, TOTP (RFC 8176 <c>otp</c>).</summary>
    public const string Totp = "otp";

    /// <summary>A one-time code sent to the verified e-mail address (no RFC 8176 value exists for it).</summary>
    public const string EmailCode = "email";

    /// <summary>A recovery code, a lookup secret (no RFC 8176 value exists for it).</summary>
    public const string RecoveryCode = "recovery_code";

    /// <summary>More than one factor was used (RFC 8176 <c>mfa</c>).</summary>
    public const string MultiFactor = "mfa";

    /// <summary>The <c>amr</c> of a sign-in with the password alone.</summary>
    public static IReadOnlyList<string> PasswordOnly { get; } = [Password];

    /// <summary>The <c>amr</c> of a sign-in that ended with <paramref name="secondFactor"/>.</summary>
    public static IReadOnlyList<string> WithSecondFactor(string secondFactor) => [Password, secondFactor, MultiFactor];

}
