using System.Text.Json.Nodes;
using Bastion.Abuse;
using Bastion.Accounts.Passwords;
using Bastion.Audit;
using Bastion.Storage;
using Microsoft.AspNetCore.Http;

namespace Bastion.Mfa;

/// <summary>What re-authenticating found.</summary>
public enum ReauthenticationOutcome
{
    Confirmed,
    InvalidPassword,
    InvalidCode,

    /// <summary>The account has a second factor and the request named none it can use.</summary>
    MethodRequired,

    MethodUnavailable,

    /// <summary>Locked out or blocked (see <see cref="ReauthenticationResult.Refused"/>).</summary>
    Refused,
}

/// <summary>The outcome of <see cref="Reauthentication.ConfirmAsync"/>.</summary>
public sealed record ReauthenticationResult(ReauthenticationOutcome Outcome, SignInGate? Refused = null);

/// <summary>
/// Step-up as the API and the pages both do it: the password, and the second factor when the account has one, checked
/// like a sign-in (same lockout and address block), then recorded for this sign-in only (<see cref="RecentAuthentication"/>).
/// </summary>
public sealed class Reauthentication(IPasswordHasher hasher, SignInGuard guard, SecondFactorGuard factorGuard, SecondFactors factors, RecentAuthentication recent)
{
    /// <summary>The e-mailed-code purpose for a step-up of <paramref name="sessionId"/>.</summary>
    public static string EmailPurpose(string sessionId) => "step-up:" + sessionId;

    public async Task<ReauthenticationResult> ConfirmAsync(
        HttpContext context, User user, string sessionId, string? password, string? method, string? code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        if (user.MfaEnabled && (method is null || !SecondFactorMethods.All.Contains(method)))
        {
            return new ReauthenticationResult(ReauthenticationOutcome.MethodRequired);
        }

        var address = context.Connection.RemoteIpAddress;
        var gate = await guard.CheckAsync(address, user.Email, cancellationToken);
        if (gate.IsOpen && user.MfaEnabled && await factorGuard.LockedForAsync(user.Id, cancellationToken) is { } locked)
        {
            gate = SignInGate.LockedFor(locked);
        }

        if (!gate.IsOpen)
        {
            return new ReauthenticationResult(ReauthenticationOutcome.Refused, gate);
        }

        var passwordOk = !string.IsNullOrEmpty(password) && hasher.Verify(password, user.PasswordHash) != PasswordVerification.Failed;
        var factor = passwordOk && user.MfaEnabled
            ? await factors.VerifyAsync(user, method!, code, EmailPurpose(sessionId), cancellationToken)
            : SecondFactorResult.Valid;
        if (factor == SecondFactorResult.Unavailable)
        {
            return new ReauthenticationResult(ReauthenticationOutcome.MethodUnavailable);
        }

        if (!passwordOk || factor != SecondFactorResult.Valid)
        {
            var outcome = await guard.RecordFailureAsync(address, user.Email, cancellationToken);
            if (passwordOk)
            {
                await factorGuard.RecordFailureAsync(user.Id, cancellationToken);
            }

            await context.AuditAsync(context.AuditEvent(AuditEventTypes.LoginFailure, AuditOutcome.Failure, AuditSeverity.Warning) with
            {
                Action = "reauthenticate",
                Details = new JsonObject { ["reason"] = passwordOk ? "mfa_code_invalid" : "invalid_credentials" },
            });
            await Task.Delay(outcome.Delay, cancellationToken);
            return new ReauthenticationResult(passwordOk ? ReauthenticationOutcome.InvalidCode : ReauthenticationOutcome.InvalidPassword);
        }

        await guard.RecordSuccessAsync(address, user.Email, cancellationToken);
        if (user.MfaEnabled)
        {
            await factorGuard.ResetAsync(user.Id, cancellationToken);
        }

        var amr = user.MfaEnabled ? AuthenticationMethods.WithSecondFactor(SecondFactorMethods.AmrOf(method!)) : AuthenticationMethods.PasswordOnly;
        await recent.RecordAsync(user.Id, sessionId, amr, cancellationToken);
        await context.AuditAsync(context.AuditEvent(AuditEventTypes.LoginSuccess) with { Action = "reauthenticate" });
        return new ReauthenticationResult(ReauthenticationOutcome.Confirmed);
    }
}
