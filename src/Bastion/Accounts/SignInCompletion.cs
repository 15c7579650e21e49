using Bastion.Mfa;
using Bastion.Sessions;
using Bastion.Storage;
using Bastion.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bastion.Accounts;

/// <summary>
/// The last step of every sign-in, after the password (and the second factor when the account has one): either a
/// token family or a session cookie, with the <c>amr</c> that says how the user signed in, counted as a recent
/// authentication for step-up; or, when a second factor is still owed, a challenge instead of either.
/// </summary>
public sealed class SignInCompletion(
    TokenService tokens,
    RecentAuthentication recent,
    MfaChallenges challenges,
    MfaSignIn mfa,
    IOptions<MfaOptions> options)
{
    /// <summary>Starts the second half of a sign-in; an account whose only factor is e-mail gets its code at once.</summary>
    public async Task<MfaRequiredResponse> ChallengeAsync(User user, bool useCookie, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (token, challenge) = await challenges.CreateAsync(user.Id, user.SecurityStamp, useCookie, cancellationToken);
        var methods = SecondFactorMethods.Of(user);
        if (user.EmailMfaEnabled && user.TotpSecret is null)
        {
            await mfa.SendEmailCodeAsync(challenge, user, cancellationToken);
        }

        return new MfaRequiredResponse(true, token, methods, (int)options.Value.ChallengeLifetime.TotalSeconds);
    }

    /// <summary>Starts a token family for an API client.</summary>
    public async Task<TokenPair> IssueTokensAsync(HttpContext context, User user, IReadOnlyList<string> amr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pair = await tokens.IssueAsync(user, amr, SessionClient.From(context), cancellationToken);
        await recent.RecordAsync(user.Id, pair.FamilyId.ToString(), amr, cancellationToken);
        return pair;
    }

    /// <summary>Starts a cookie session (a new session id: no fixation) and returns its description.</summary>
    public async Task<SessionFeature> SignInCookieAsync(HttpContext context, User user, IReadOnlyList<string> amr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.SignInAsync(SessionDefaults.AuthenticationScheme, AccountPrincipal.Create(user, amr));
        var session = context.Features.Get<SessionFeature>()!;
        await recent.RecordAsync(user.Id, session.Handle, amr, cancellationToken);
        return session;
    }
}

/// <summary>The answer to a correct password on an account with a second factor (DESIGN §4).</summary>
public sealed record MfaRequiredResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("mfa_required")] bool MfaRequired,
    [property: System.Text.Json.Serialization.JsonPropertyName("mfa_token")] string MfaToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("methods")] IReadOnlyList<string> Methods,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);
