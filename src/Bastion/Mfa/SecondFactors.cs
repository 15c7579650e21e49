using Bastion.Email;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

/// <summary>The second factors a user can present, by the names the API uses.</summary>
public static class SecondFactorMethods
{
    public const string Totp = "totp";
    public const string RecoveryCode = "recovery_code";
    public const string Email = "email";

    public static IReadOnlyList<string> All { get; } = [Totp, RecoveryCode, Email];

    /// <summary>The methods <paramref name="user"/> can use, in the order a client should offer them.</summary>
    public static IReadOnlyList<string> Of(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var methods = new List<string>(3);
        if (user.TotpSecret is not null)
        {
            methods.Add(Totp);
        }

        if (user.EmailMfaEnabled)
        {
            methods.Add(Email);
        }

        if (user.RecoveryCodes is not null && RecoveryCodes.CountRemaining(user.RecoveryCodes) > 0)
        {
            methods.Add(RecoveryCode);
        }

        return methods;
    }

    /// <summary>The <c>amr</c> value (RFC 8176 where one exists) for a method.</summary>
    public static string AmrOf(string method) => method switch
    {
        Totp => AuthenticationMethods.Totp,
        Email => AuthenticationMethods.EmailCode,
        RecoveryCode => AuthenticationMethods.RecoveryCode,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown second factor."),
    };
}

/// <summary>What checking a second factor found.</summary>
public enum SecondFactorResult
{
    Valid,
    Invalid,

    /// <summary>The user has not turned this method on (or has no recovery codes left).</summary>
    Unavailable,
}

/// <summary>
/// Checks a second factor for a user: a TOTP code (once per step, <see cref="TotpVerifier"/>), a recovery code (spent
/// with a conditional update, so two requests racing with one code cannot both succeed), or an e-mailed code
/// (<see cref="EmailOtp"/>, bound to the purpose it was sent for).
/// </summary>
public sealed class SecondFactors(
    BastionDbContext db,
    TotpVerifier totp,
    TotpSecretProtector secrets,
    RecoveryCodes recoveryCodes,
    EmailOtp emailCodes,
    IEmailOutbox outbox,
    EmailTemplates templates,
    IOptions<MfaOptions> options)
{
    /// <summary>Checks <paramref name="code"/> by <paramref name="method"/>; <paramref name="emailPurpose"/> names what an e-mailed code was sent for.</summary>
    public async Task<SecondFactorResult> VerifyAsync(User user, string method, string? code, string emailPurpose, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var userId = user.Id.ToString("N");
        switch (method)
        {
            case SecondFactorMethods.Totp when user.TotpSecret is not null:
                var secret = secrets.Unprotect(userId, user.TotpSecret);
                return await totp.VerifyAsync(userId, secret, code, cancellationToken) ? SecondFactorResult.Valid : SecondFactorResult.Invalid;

            case SecondFactorMethods.RecoveryCode when user.RecoveryCodes is not null:
                var stored = user.RecoveryCodes;
                if (!recoveryCodes.TryConsume(userId, stored, code, out var remaining))
                {
                    return SecondFactorResult.Invalid;
                }

                // Only the request that still finds the set it read changes the row (ASVS 5.0 §6.5.1).
                var spent = await db.Users
                    .Where(u => u.Id == user.Id && u.RecoveryCodes == stored)
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.RecoveryCodes, remaining), cancellationToken);
                if (spent == 1)
                {
                    user.RecoveryCodes = remaining;
                }

                return spent == 1 ? SecondFactorResult.Valid : SecondFactorResult.Invalid;

            case SecondFactorMethods.Email when user.EmailMfaEnabled:
                return await emailCodes.VerifyAsync(userId, emailPurpose, code, cancellationToken) == EmailOtpResult.Valid
                    ? SecondFactorResult.Valid
                    : SecondFactorResult.Invalid;

            default:
                return SecondFactorResult.Unavailable;
        }
    }

    /// <summary>E-mails <paramref name="user"/> a new code for <paramref name="purpose"/>, replacing any pending one for it.</summary>
    public async Task SendEmailCodeAsync(User user, string purpose, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var code = await emailCodes.IssueAsync(user.Id.ToString("N"), purpose, cancellationToken);
        await outbox.EnqueueAsync(templates.SignInCode(user.Email, user.FullName, code, options.Value.EmailCodeLifetime), db, cancellationToken);
    }
}
