using System.Text.Json.Nodes;
using Bastion.Abuse;
using Bastion.Audit;
using Bastion.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Mfa;

/// <summary>Why finishing a sign-in with a second factor failed; each maps to a stable error code.</summary>
public enum MfaSignInFailure
{
    None,

    /// <summary>The <c>mfa_token</c> is unknown, used, expired, withdrawn, or its account changed.</summary>
    TokenInvalid,

    /// <summary>The code is wrong; the challenge stays while attempts remain.</summary>
    CodeInvalid,

    /// <summary>The account has not turned this method on.</summary>
    MethodUnavailable,

    /// <summary>The account or address is locked out or blocked (see <see cref="MfaSignInResult.Refused"/>).</summary>
    Refused,
}

/// <summary>What asking for an e-mailed code for a pending sign-in did.</summary>
public enum EmailCodeSend
{
    Sent,

    /// <summary>The account has not turned e-mail codes on.</summary>
    Unavailable,

    /// <summary>This sign-in has had its <see cref="MfaOptions.MaxEmailCodesPerChallenge"/> codes.</summary>
    TooMany,
}

/// <summary>The outcome of <see cref="MfaSignIn.CompleteAsync"/>.</summary>
public sealed record MfaSignInResult(MfaSignInFailure Failure, User? User = null, MfaChallenge? Challenge = null, IReadOnlyList<string>? Amr = null, SignInGate? Refused = null);

/// <summary>
/// The second half of a sign-in, as the API and the page both do it. Wrong codes count towards the same lockout and
/// address block as wrong passwords (a stolen password must not buy unlimited code guesses) and towards the
/// challenge's own attempts; every outcome leaves one audit entry.
/// </summary>
public sealed class MfaSignIn(
    MfaChallenges challenges, SecondFactors factors, BastionDbContext db, SignInGuard guard, SecondFactorGuard factorGuard, DeviceCookies devices, TimeProvider time)
{
    /// <summary>The e-mailed-code purpose of a challenge: a code sent for one sign-in does not finish another.</summary>
    public static string EmailPurpose(MfaChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return "sign-in:" + challenge.Id;
    }

    /// <summary>E-mails a code for <paramref name="challenge"/>, within its share of codes.</summary>
    public async Task<EmailCodeSend> SendEmailCodeAsync(MfaChallenge challenge, User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.EmailMfaEnabled)
        {
            return EmailCodeSend.Unavailable;
        }

        if (!await challenges.TryCountEmailSendAsync(challenge, cancellationToken))
        {
            return EmailCodeSend.TooMany;
        }

        await factors.SendEmailCodeAsync(user, EmailPurpose(challenge), cancellationToken);
        return EmailCodeSend.Sent;
    }

    /// <summary>The pending challenge and its still-valid user, or nulls.</summary>
    public async Task<(MfaChallenge? Challenge, User? User)> FindAsync(string? token, CancellationToken cancellationToken = default)
    {
        var challenge = await challenges.FindAsync(token, cancellationToken);
        if (challenge is null)
        {
            return (null, null);
        }

        // Not tracked: a recovery code is spent by its own conditional update, which a later SaveChanges must not redo.
        var user = await db.Users.AsNoTracking().Include(u => u.Roles).FirstOrDefaultAsync(u => u.Id == challenge.UserId, cancellationToken);

        // A password change, reset or disabling since the password was checked withdraws the half-finished sign-in.
        if (user is null || user.Status != UserStatus.Active || user.SecurityStamp != challenge.SecurityStamp || !user.MfaEnabled)
        {
            await challenges.WithdrawAsync(challenge, cancellationToken);
            return (null, null);
        }

        return (challenge, user);
    }

    public async Task<MfaSignInResult> CompleteAsync(HttpContext context, string? token, string? method, string? code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (challenge, user) = await FindAsync(token, cancellationToken);
        if (challenge is null || user is null)
        {
            await context.AuditAsync(Failure(context, null, method, "mfa_token_invalid"));
            return new MfaSignInResult(MfaSignInFailure.TokenInvalid);
        }

        var address = context.Connection.RemoteIpAddress;
        var gate = await guard.CheckAsync(address, user.Email, cancellationToken);
        if (gate.IsOpen && await factorGuard.LockedForAsync(user.Id, cancellationToken) is { } locked)
        {
            gate = SignInGate.LockedFor(locked);
        }

        if (!gate.IsOpen)
        {
            await context.AuditAsync(Failure(context, user.Id, method, gate.IsBlocked ? "ip_blocked" : "locked_out") with { Outcome = AuditOutcome.Denied });
            return new MfaSignInResult(MfaSignInFailure.Refused, Refused: gate);
        }

        var (allowed, last) = await challenges.CountAttemptAsync(challenge, cancellationToken);
        if (!allowed)
        {
            await context.AuditAsync(Failure(context, user.Id, method, "mfa_attempts_exhausted"));
            return new MfaSignInResult(MfaSignInFailure.TokenInvalid);
        }

        var result = await factors.VerifyAsync(user, method!, code, EmailPurpose(challenge), cancellationToken);
        if (result == SecondFactorResult.Unavailable)
        {
            return new MfaSignInResult(MfaSignInFailure.MethodUnavailable);
        }

        if (result == SecondFactorResult.Invalid)
        {
            var outcome = await guard.RecordFailureAsync(address, user.Email, cancellationToken);
            var lockedNow = await factorGuard.RecordFailureAsync(user.Id, cancellationToken);
            await context.AuditAsync(Failure(context, user.Id, method, "mfa_code_invalid"));
            if (outcome.LockedNow || lockedNow)
            {
                await context.AuditAsync(context.AuditEvent(AuditEventTypes.AccountLocked, AuditOutcome.Denied, AuditSeverity.Warning) with
                {
                    UserId = user.Id,
                    Details = new JsonObject { ["reason"] = lockedNow ? "second_factor_failures" : "sign_in_failures" },
                });
            }

            if (outcome.AddressBlockedNow)
            {
                await context.AuditAsync(context.AuditEvent(AuditEventTypes.IpBlocked, AuditOutcome.Denied, AuditSeverity.Critical));
            }

            if (last)
            {
                await challenges.WithdrawAsync(challenge, cancellationToken);
            }

            await Task.Delay(outcome.Delay, cancellationToken);
            return new MfaSignInResult(last ? MfaSignInFailure.TokenInvalid : MfaSignInFailure.CodeInvalid);
        }

        if (!await challenges.CompleteAsync(challenge, cancellationToken))
        {
            // Another request finished this sign-in a moment ago.
            await context.AuditAsync(Failure(context, user.Id, method, "mfa_token_used"));
            return new MfaSignInResult(MfaSignInFailure.TokenInvalid);
        }

        await guard.RecordSuccessAsync(address, user.Email, cancellationToken);
        await factorGuard.ResetAsync(user.Id, cancellationToken);
        // The sign-in is complete: this client is now familiar to the account (smart lockout, SECURITY.md).
        await guard.RememberAsync(address, user.Email, cancellationToken);
        devices.Issue(context, user.Email);
        var now = time.GetUtcNow();
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(set => set.SetProperty(u => u.LastLoginAt, now), cancellationToken);
        await context.AuditAsync(context.AuditEvent(AuditEventTypes.LoginSuccess) with
        {
            UserId = user.Id,
            Details = new JsonObject { ["secondFactor"] = method },
        });
        return new MfaSignInResult(MfaSignInFailure.None, user, challenge, AuthenticationMethods.WithSecondFactor(SecondFactorMethods.AmrOf(method!)));
    }

    private static AuditEvent Failure(HttpContext context, Guid? userId, string? method, string reason)
        => context.AuditEvent(AuditEventTypes.LoginFailure, AuditOutcome.Failure, AuditSeverity.Warning) with
        {
            UserId = userId,
            Details = new JsonObject
            {
                ["reason"] = reason,
                ["secondFactor"] = method is not null && SecondFactorMethods.All.Contains(method) ? method : null,
            },
        };
}
