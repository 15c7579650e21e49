using System.Text;
using System.Text.Json.Nodes;
using Bastion.Audit;
using Bastion.Email;
using Bastion.Sessions;
using Bastion.State;
using Bastion.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>What a user needs to add Bastion to an authenticator app. Shown once; never stored in this form.</summary>
public sealed record TotpSetup(string Secret, string OtpauthUri, string QrPng, string QrSvg);

/// <summary>The outcome of confirming a second factor: the recovery codes to show once when this was the first factor.</summary>
public sealed record MfaEnrolmentResult(bool Confirmed, bool Expired, IReadOnlyList<string>? RecoveryCodes);

/// <summary>
/// Turning second factors on and off. A TOTP secret waits in the state store, encrypted, until a code from the app
/// proves it was scanned (a secret that never reached the app must not lock the user out); e-mail codes are turned on
/// by a code sent to the account's address. The first factor brings a set of recovery codes; removing the last one
/// takes them away. Every change is audited and the owner is told by e-mail (ASVS 5.0 §6.3.7).
/// </summary>
public sealed class MfaEnrolment(
    BastionDbContext db,
    IStateStore store,
    TotpSecretProtector secrets,
    Totp totpAlgorithm,
    TotpVerifier totp,
    RecoveryCodes recoveryCodes,
    EmailOtp emailCodes,
    SecondFactors factors,
    RecentAuthentication recent,
    IEmailOutbox outbox,
    EmailTemplates templates,
    Access.AccessSubjectStore subjects,
    Tokens.TokenService tokens,
    IOptions<MfaOptions> options,
    IOptions<StateOptions> state,
    TimeProvider time)
{
    private const string EmailEnrolmentPurpose = "enrol-email";
    private const int MaxConfirmationFailures = 5;

    private MfaOptions Settings => options.Value;

    /// <summary>Starts (or restarts) TOTP enrolment with a new secret.</summary>
    public async Task<TotpSetup> BeginTotpAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var secret = TotpSecret.Generate();
        var userId = user.Id.ToString("N");
        await store.SetAsync(PendingKey(user.Id), Encoding.ASCII.GetBytes(secrets.Protect(userId, secret)), Settings.EnrolmentLifetime, cancellationToken);
        await store.DeleteAsync(PendingKey(user.Id) + ":failures", cancellationToken);

        var uri = OtpAuthUri.Build(Settings.Issuer, user.Email.Replace(':', '_'), secret, totpAlgorithm.Algorithm, totpAlgorithm.Digits);
        return new TotpSetup(
            Base32.Encode(secret),
            uri,
            "data:image/png;base64," + Convert.ToBase64String(OtpQrCode.RenderPng(uri)),
            OtpQrCode.RenderSvg(uri));
    }

    /// <summary>Turns TOTP on when <paramref name="code"/> matches the pending secret.</summary>
    public async Task<MfaEnrolmentResult> ConfirmTotpAsync(HttpContext context, User user, string? code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var pending = await store.GetAsync(PendingKey(user.Id), cancellationToken);
        if (pending is null)
        {
            return new MfaEnrolmentResult(false, true, null);
        }

        var userId = user.Id.ToString("N");
        var protectedSecret = Encoding.ASCII.GetString(pending);
        if (!await totp.VerifyAsync(userId, secrets.Unprotect(userId, protectedSecret), code, cancellationToken))
        {
            // Five wrong codes end the set-up: a new one starts with a new secret.
            var failures = await store.IncrementAsync(PendingKey(user.Id) + ":failures", 1, Settings.EnrolmentLifetime, cancellationToken);
            if (failures >= MaxConfirmationFailures)
            {
                await store.DeleteAsync(PendingKey(user.Id), cancellationToken);
                await store.DeleteAsync(PendingKey(user.Id) + ":failures", cancellationToken);
                return new MfaEnrolmentResult(false, true, null);
            }

            return new MfaEnrolmentResult(false, false, null);
        }

        await store.DeleteAsync(PendingKey(user.Id), cancellationToken);
        await store.DeleteAsync(PendingKey(user.Id) + ":failures", cancellationToken);
        user.TotpSecret = protectedSecret;
        return new MfaEnrolmentResult(true, false, await FactorAddedAsync(context, user, SecondFactorMethods.Totp, cancellationToken));
    }

    /// <summary>E-mails a code to the account's address; entering it turns e-mail codes on.</summary>
    public Task BeginEmailAsync(User user, CancellationToken cancellationToken = default)
        => factors.SendEmailCodeAsync(user, EmailEnrolmentPurpose, cancellationToken);

    /// <summary>Turns e-mail codes on when <paramref name="code"/> is the one sent by <see cref="BeginEmailAsync"/>.</summary>
    public async Task<MfaEnrolmentResult> ConfirmEmailAsync(HttpContext context, User user, string? code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var result = await emailCodes.VerifyAsync(user.Id.ToString("N"), EmailEnrolmentPurpose, code, cancellationToken);
        if (result != EmailOtpResult.Valid)
        {
            return new MfaEnrolmentResult(false, result is EmailOtpResult.Expired or EmailOtpResult.TooManyAttempts, null);
        }

        user.EmailMfaEnabled = true;

        // The code arrived, so the address is the user's: that is what verification proves too.
        user.EmailVerifiedAt ??= time.GetUtcNow();
        return new MfaEnrolmentResult(true, false, await FactorAddedAsync(context, user, SecondFactorMethods.Email, cancellationToken));
    }

    /// <summary>Turns a factor off; removing the last one removes the recovery codes with it.</summary>
    public async Task<bool> DisableAsync(HttpContext context, User user, string method, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var wasOn = method == SecondFactorMethods.Totp ? user.TotpSecret is not null : user.EmailMfaEnabled;
        if (method == SecondFactorMethods.Totp)
        {
            user.TotpSecret = null;
        }
        else
        {
            user.EmailMfaEnabled = false;
        }

        if (!user.MfaEnabled)
        {
            user.RecoveryCodes = null;
            user.MfaEnabledAt = null;
        }

        user.UpdatedAt = time.GetUtcNow();
        if (!wasOn)
        {
            await db.SaveChangesAsync(cancellationToken);
            return false;
        }

        // The change, its audit entry and the owner's notice commit together: no factor is removed unannounced.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            context.StageAudit(db, context.AuditEvent(AuditEventTypes.MfaDisabled, severity: AuditSeverity.Warning) with { Details = new JsonObject { ["method"] = method } });
            await db.SaveChangesAsync(cancellationToken);
            var kind = user.MfaEnabled ? SecurityNoticeKind.SecondFactorRemoved : SecurityNoticeKind.MfaDisabled;
            await NotifyAsync(context, user, kind, method, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await subjects.InvalidateAsync(user.Id, cancellationToken);
        return true;
    }

    /// <summary>A new set of recovery codes; the old set stops working at once.</summary>
    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(HttpContext context, User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(user);
        var codes = RecoveryCodes.Generate(Settings.RecoveryCodeCount);
        user.RecoveryCodes = recoveryCodes.Protect(user.Id.ToString("N"), codes);
        user.UpdatedAt = time.GetUtcNow();
        context.StageAudit(db, context.AuditEvent(AuditEventTypes.RecoveryCodesRegenerated, severity: AuditSeverity.Warning));
        await db.SaveChangesAsync(cancellationToken);
        await outbox.EnqueueAsync(templates.SecurityNotice(user.Email, user.FullName, SecurityNoticeKind.RecoveryCodesRegenerated, SecurityNoticeDetails.For(context, time.GetUtcNow())), db, cancellationToken);
        return codes;
    }

    private async Task<IReadOnlyList<string>?> FactorAddedAsync(HttpContext context, User user, string method, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var first = user.MfaEnabledAt is null;
        user.MfaEnabledAt ??= now;
        user.UpdatedAt = now;
        IReadOnlyList<string>? codes = null;
        if (user.RecoveryCodes is null)
        {
            codes = RecoveryCodes.Generate(Settings.RecoveryCodeCount);
            user.RecoveryCodes = recoveryCodes.Protect(user.Id.ToString("N"), codes);
        }

        // The change, its audit entry and the owner's notice commit together (ASVS 5.0 §6.3.7).
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            context.StageAudit(db, context.AuditEvent(AuditEventTypes.MfaEnabled, severity: AuditSeverity.Warning) with { Details = new JsonObject { ["method"] = method } });
            await db.SaveChangesAsync(cancellationToken);
            await NotifyAsync(context, user, first ? SecurityNoticeKind.MfaEnabled : SecurityNoticeKind.SecondFactorAdded, method, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await subjects.InvalidateAsync(user.Id, cancellationToken);

        // Sign-ins made with the password alone end (ASVS 5.0 §7.4.3): turning a factor on is often the answer to a
        // password that leaked, and the intruder's session or tokens must not outlive it. The caller's own stays.
        await tokens.RevokeOthersAsync(user.Id, "mfa_enabled", context.Features.Get<Sessions.SessionFeature>()?.Handle,
            context.User.TokenFamilyId(), cancellationToken);

        // The code just proved the new factor; with a recent password (set-up required one) that is a full
        // authentication, so the user can go on to, say, regenerate recovery codes without signing in again.
        if (context.User.SignInId() is { } sessionId
            && await recent.IsRecentAsync(user.Id, sessionId, secondFactorRequired: false, cancellationToken))
        {
            await recent.RecordAsync(user.Id, sessionId, AuthenticationMethods.WithSecondFactor(SecondFactorMethods.AmrOf(method)), cancellationToken);
        }

        return codes;
    }

    /// <summary>Queues the owner's notice of a factor change, naming the method (never its secret), in the open transaction.</summary>
    private Task NotifyAsync(HttpContext context, User user, SecurityNoticeKind kind, string method, CancellationToken cancellationToken)
    {
        var details = SecurityNoticeDetails.For(context, time.GetUtcNow()) with
        {
            Change = method == SecondFactorMethods.Totp ? "Method: an authenticator app (one-time codes)." : "Method: one-time codes sent by e-mail.",
        };
        return outbox.EnqueueAsync(templates.SecurityNotice(user.Email, user.FullName, kind, details), db, cancellationToken);
    }

    private string PendingKey(Guid userId) => $"{state.Value.KeyPrefix}mfa-enrol-totp:{userId:N}";
}
