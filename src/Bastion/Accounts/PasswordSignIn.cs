using System.Text.Json.Nodes;
using Bastion.Abuse;
using Bastion.Audit;
using Bastion.Validation;
using Microsoft.AspNetCore.Http;

namespace Bastion.Accounts;

/// <summary>
/// Password sign-in as the API and the page both do it: the brute-force gate (which counts the attempt as a failure
/// before the password is checked), the password check, the failure's consequences (lockouts, address block,
/// delay) or the success's (counts given back, a completed sign-in's client remembered as familiar), and one audit
/// entry per outcome.
/// </summary>
public sealed class PasswordSignIn(AccountService accounts, SignInGuard guard, DeviceCookies devices)
{
    public async Task<PasswordSignInResult> SignInAsync(HttpContext context, string? email, string? password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new SignInSource(context.Connection.RemoteIpAddress, devices.DeviceFor(context, email));
        var attempt = await guard.BeginAsync(source, email, cancellationToken);
        if (attempt.Refused is { } gate)
        {
            await context.AuditAsync(Failure(context, email, gate.IsBlocked ? "ip_blocked" : "locked_out", AuditOutcome.Denied));
            return new PasswordSignInResult(null, gate);
        }

        SignInResult result;
        try
        {
            result = await accounts.CheckPasswordAsync(email, password, cancellationToken);
        }
        catch
        {
            await guard.AbandonAsync(attempt, CancellationToken.None);
            throw;
        }

        if (result.Failure == SignInFailure.InvalidCredentials)
        {
            var outcome = await guard.FailAsync(attempt, cancellationToken);
            await context.AuditAsync(Failure(context, email, "invalid_credentials", AuditOutcome.Failure, result.Account));
            await AuditLocksAsync(context, email, outcome, result.Account);
            await Task.Delay(outcome.Delay, cancellationToken);
            return new PasswordSignInResult(result, null);
        }

        await guard.SucceedAsync(attempt, cancellationToken);
        if (result.Succeeded && !result.User!.MfaEnabled)
        {
            // A completed sign-in makes this client familiar; with a second factor, MfaSignIn does it once that is done.
            await guard.RememberAsync(source.Address, email, cancellationToken);
            devices.Issue(context, email);
        }

        // With a second factor, the password alone is a step, not a sign-in: the audit says so.
        await context.AuditAsync(result.Succeeded
            ? context.AuditEvent(result.User!.MfaEnabled ? AuditEventTypes.MfaChallenged : AuditEventTypes.LoginSuccess) with { UserId = result.User.Id }
            : Failure(context, email, DeniedReason(result.Failure), AuditOutcome.Denied, result.Account));
        return new PasswordSignInResult(result, null);
    }

    private static async Task AuditLocksAsync(HttpContext context, string? email, SignInFailureOutcome outcome, Guid? account)
    {
        if (outcome.LockedNow)
        {
            await context.AuditAsync(About(context.AuditEvent(AuditEventTypes.AccountLocked, AuditOutcome.Denied, AuditSeverity.Warning) with { Details = Attempted(email) }, account));
        }

        if (outcome.AccountLockedFor is { } lockedFor)
        {
            var details = Attempted(email);
            details["scope"] = "unfamiliar_sources";
            details["lockedForSeconds"] = (long)lockedFor.TotalSeconds;
            await context.AuditAsync(About(context.AuditEvent(AuditEventTypes.AccountLocked, AuditOutcome.Denied, AuditSeverity.Warning) with { Details = details }, account));
        }

        if (outcome.AddressBlockedNow)
        {
            await context.AuditAsync(context.AuditEvent(AuditEventTypes.IpBlocked, AuditOutcome.Denied, AuditSeverity.Critical));
        }
    }

    private static string DeniedReason(SignInFailure failure) => failure switch
    {
        SignInFailure.Disabled => "account_disabled",
        SignInFailure.EmailUnverified => "email_unverified",
        _ => "account_pending",
    };

    private static AuditEvent Failure(HttpContext context, string? email, string reason, AuditOutcome outcome, Guid? account = null)
        => About(context.AuditEvent(AuditEventTypes.LoginFailure, outcome, AuditSeverity.Warning) with
        {
            Details = new JsonObject { ["reason"] = reason, ["attemptedEmail"] = Attempted(email)["attemptedEmail"]?.DeepClone() },
        }, account);

    // An attempt on an existing account is about that account: the audit log seals the entry's address, user agent
    // and attempted e-mail under its key, so erasing the account makes them unreadable (crypto-shredding). Attempts
    // refused before the password is checked, and those on unknown addresses, name no account and stay readable.
    private static AuditEvent About(AuditEvent audited, Guid? account)
        => account is { } id ? audited with { EntityType = "user", EntityId = id.ToString() } : audited;

    // Only something shaped like an address is kept: a password typed into the e-mail field must not be logged.
    private static JsonObject Attempted(string? email)
        => new() { ["attemptedEmail"] = EmailAddress.Validate(email) is null ? EmailAddress.Normalize(email!) : "[not an e-mail address]" };
}

/// <summary>Either the password check's result, or the closed gate that stopped the attempt before it.</summary>
public sealed record PasswordSignInResult(SignInResult? Result, SignInGate? Refused);
