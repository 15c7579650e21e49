using System.Text.Json.Serialization;
using Bastion.Abuse;
using Bastion.Accounts;
using Bastion.Accounts.Passwords;
using Bastion.Audit;
using Bastion.Email;
using Bastion.Hosting;
using Bastion.Protection;
using Bastion.Sessions;
using Bastion.Storage;
using Bastion.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Mfa;

/// <summary>
/// Finishing a sign-in with a second factor (<c>/api/auth/mfa</c>), stepping up before sensitive changes
/// (<c>/api/auth/reauthenticate</c>), and managing one's own second factors (<c>/api/account/mfa</c>).
/// </summary>
internal static class MfaEndpoints
{
    public static IEndpointRouteBuilder MapMfaApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/api/auth").WithTags("Authentication");
        auth.MapPost("/mfa", CompleteSignInAsync).WithName("CompleteMfaSignIn").AllowAnonymous().RequireRateBudget(RateBudgets.Code);
        auth.MapPost("/mfa/email", SendSignInCodeAsync).WithName("SendMfaSignInCode").AllowAnonymous().RequireRateBudget(RateBudgets.Mail);
        auth.MapPost("/reauthenticate", ReauthenticateAsync).WithName("Reauthenticate").RequireAuthorization(BastionAuthentication.Policy).RequireRateBudget(RateBudgets.SignIn);
        auth.MapPost("/reauthenticate/email", SendStepUpCodeAsync).WithName("SendStepUpCode").RequireAuthorization(BastionAuthentication.Policy).RequireRateBudget(RateBudgets.Mail);

        var account = endpoints.MapGroup("/api/account/mfa").WithTags("Account").RequireAuthorization(BastionAuthentication.Policy);
        account.MapGet("/", StatusAsync).WithName("MfaStatus");
        account.MapPost("/totp/setup", SetupTotpAsync).WithName("SetupTotp").RequireRecentAuthentication();
        account.MapPost("/totp/confirm", ConfirmTotpAsync).WithName("ConfirmTotp").RequireRateBudget(RateBudgets.Code);
        account.MapDelete("/totp", DisableTotpAsync).WithName("DisableTotp").RequireRecentAuthentication();
        account.MapPost("/email/setup", SetupEmailAsync).WithName("SetupEmailCodes").RequireRecentAuthentication().RequireRateBudget(RateBudgets.Mail);
        account.MapPost("/email/confirm", ConfirmEmailAsync).WithName("ConfirmEmailCodes").RequireRateBudget(RateBudgets.Code);
        account.MapDelete("/email", DisableEmailAsync).WithName("DisableEmailCodes").RequireRecentAuthentication();
        account.MapPost("/recovery-codes", RegenerateRecoveryCodesAsync).WithName("RegenerateRecoveryCodes").RequireRecentAuthentication();
        return endpoints;
    }

    private static async Task<Results<Ok<TokenPair>, Ok<SignedInResponse>, ValidationProblem, ProblemHttpResult>> CompleteSignInAsync(
        MfaRequest request, HttpContext context, MfaSignIn mfa, SignInCompletion completion, CancellationToken cancellationToken)
    {
        if (ValidateMethod(request.Method) is { } invalid)
        {
            return invalid;
        }

        var result = await mfa.CompleteAsync(context, request.MfaToken, request.Method, request.Code, cancellationToken);
        switch (result.Failure)
        {
            case MfaSignInFailure.TokenInvalid:
                return BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.MfaTokenInvalid,
                    "This sign-in is no longer pending: it expired, was finished, or took too many wrong codes. Sign in again.");
            case MfaSignInFailure.CodeInvalid:
                return BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.MfaCodeInvalid, "The code is not valid.");
            case MfaSignInFailure.MethodUnavailable:
                return MethodUnavailable();
            case MfaSignInFailure.Refused:
                return SignInRefusals.Problem(result.Refused!, context);
        }

        var user = result.User!;
        return result.Challenge!.UseCookie
            ? TypedResults.Ok(SignedInResponse.From(user, await completion.SignInCookieAsync(context, user, result.Amr!, cancellationToken)))
            : TypedResults.Ok(await completion.IssueTokensAsync(context, user, result.Amr!, cancellationToken));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> SendSignInCodeAsync(
        MfaEmailRequest request, MfaSignIn mfa, CancellationToken cancellationToken)
    {
        var (challenge, user) = await mfa.FindAsync(request.MfaToken, cancellationToken);
        if (challenge is null || user is null)
        {
            return BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.MfaTokenInvalid, "This sign-in is no longer pending. Sign in again.");
        }

        return await mfa.SendEmailCodeAsync(challenge, user, cancellationToken) switch
        {
            EmailCodeSend.Sent => TypedResults.Accepted((string?)null),
            EmailCodeSend.Unavailable => MethodUnavailable(),
            _ => BastionProblems.Problem(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Enough codes were sent for this sign-in; use the latest one or sign in again."),
        };
    }

    /// <summary>
    /// Proves again who the caller is: the password, and the second factor when the account has one. Counts as a
    /// recent authentication for this session or token family only.
    /// </summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ReauthenticateAsync(
        ReauthenticateRequest request, HttpContext context, BastionDbContext db, Reauthentication reauthentication, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(context, db, cancellationToken);
        var sessionId = context.User.SignInId();
        if (user is null || sessionId is null)
        {
            return Unauthenticated();
        }

        var result = await reauthentication.ConfirmAsync(context, user, sessionId, request.Password, request.Method, request.Code, cancellationToken);
        return result.Outcome switch
        {
            ReauthenticationOutcome.Confirmed => TypedResults.NoContent(),
            ReauthenticationOutcome.MethodRequired => ValidateMethod(request.Method)!,
            ReauthenticationOutcome.MethodUnavailable => MethodUnavailable(),
            ReauthenticationOutcome.Refused => SignInRefusals.Problem(result.Refused!, context),
            // One answer for a wrong password and a wrong code: a stolen session must not confirm a password guess.
            _ => BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidCredentials, "The password or the code is not correct."),
        };
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> SendStepUpCodeAsync(
        HttpContext context, BastionDbContext db, SecondFactors factors, MfaEmailSendLimit limit, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(context, db, cancellationToken);
        var sessionId = context.User.SignInId();
        if (user is null || sessionId is null || !user.EmailMfaEnabled)
        {
            return MethodUnavailable();
        }

        if (!await limit.TryAcquireAsync(user.Id, cancellationToken))
        {
            return BastionProblems.Problem(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "A code was sent a moment ago; wait a minute before asking for another.");
        }

        await factors.SendEmailCodeAsync(user, Reauthentication.EmailPurpose(sessionId), cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<MfaStatusResponse>, ProblemHttpResult>> StatusAsync(HttpContext context, BastionDbContext db, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(context, db, cancellationToken);
        return user is null
            ? Unauthenticated()
            : TypedResults.Ok(MfaStatusResponse.From(user));
    }

    private static async Task<Results<Ok<TotpSetup>, ProblemHttpResult>> SetupTotpAsync(
        HttpContext context, BastionDbContext db, MfaEnrolment enrolment, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(context, db, cancellationToken);
        if (user is null)
        {
            return Unauthenticated();
        }

        // The answer carries the shared secret: no cache may keep it.
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await enrolment.BeginTotpAsync(user, cancellationToken));
    }

    private static async Task<Results<Ok<MfaConfirmedResponse>, ValidationProblem, ProblemHttpResult>> ConfirmTotpAsync(
        MfaCodeRequest request, HttpContext context, BastionDbContext db, MfaEnrolment enrolment, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(context, db, cancellationToken);
        if (user is null)
        {
            return Unauthenticated();
        }

        return Confirmed(await enrolment.ConfirmTotpAsync(context, user, request.Code, cancellationToken), user);
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> SetupEmailAsync(
        HttpContext context, BastionDbContext db, MfaEnrolment enrolment, MfaEmailSendLimit limit, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(context, db, cancellationToken);
        if (user is null)
        {
            return Unauthenticated();
        }

        if (!await limit.TryAcquireAsync(user.Id, cancellationToken))
        {
            return BastionProblems.Problem(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "A code was sent a moment ago; wait a minute before asking for another.");
        }

        await enrolment.BeginEmailAsync(user, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<MfaConfirmedResponse>, ValidationProblem, ProblemHttpResult>> ConfirmEmailAsync(
        MfaCodeRequest request, HttpContext context, BastionDbContext db, MfaEnrolment enrolment, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(context, db, cancellationToken);
        if (user is null)
        {
            return Unauthenticated();
        }

        return Confirmed(await enrolment.ConfirmEmailAsync(context, user, request.Code, cancellationToken), user);
    }

    private static Results<Ok<MfaConfirmedResponse>, ValidationProblem, ProblemHttpResult> Confirmed(MfaEnrolmentResult result, User user)
    {
        if (result.Expired)
        {
            return BastionProblems.Problem(StatusCodes.Status400BadRequest, ErrorCodes.MfaEnrolmentExpired,
                "No set-up is waiting for a code, or it expired. Start the set-up again.");
        }

        return result.Confirmed
            ? TypedResults.Ok(new MfaConfirmedResponse(MfaStatusResponse.From(user), result.RecoveryCodes))
            : BastionProblems.Validation(new Dictionary<string, string[]> { ["code"] = ["The code is not valid."] });
    }

    private static Task<Results<NoContent, ProblemHttpResult>> DisableTotpAsync(HttpContext context, BastionDbContext db, MfaEnrolment enrolment, CancellationToken cancellationToken)
        => DisableAsync(SecondFactorMethods.Totp, context, db, enrolment, cancellationToken);

    private static Task<Results<NoContent, ProblemHttpResult>> DisableEmailAsync(HttpContext context, BastionDbContext db, MfaEnrolment enrolment, CancellationToken cancellationToken)
        => DisableAsync(SecondFactorMethods.Email, context, db, enrolment, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> DisableAsync(
        string method, HttpContext context, BastionDbContext db, MfaEnrolment enrolment, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(context, db, cancellationToken);
        if (user is null)
        {
            return Unauthenticated();
        }

        await enrolment.DisableAsync(context, user, method, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult>> RegenerateRecoveryCodesAsync(
        HttpContext context, BastionDbContext db, MfaEnrolment enrolment, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(context, db, cancellationToken);
        if (user is null)
        {
            return Unauthenticated();
        }

        if (!user.MfaEnabled)
        {
            return BastionProblems.Problem(StatusCodes.Status409Conflict, ErrorCodes.MfaNotEnabled, "Recovery codes come with a second factor; turn one on first.");
        }

        var codes = await enrolment.RegenerateRecoveryCodesAsync(context, user, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RecoveryCodesResponse(codes));
    }

    private static ValidationProblem? ValidateMethod(string? method)
        => method is not null && SecondFactorMethods.All.Contains(method)
            ? null
            : BastionProblems.Validation(new Dictionary<string, string[]> { ["method"] = [$"Method must be one of: {string.Join(", ", SecondFactorMethods.All)}."] });

    private static ProblemHttpResult Unauthenticated()
        => BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Authentication is required.");

    private static ProblemHttpResult MethodUnavailable()
        => BastionProblems.Problem(StatusCodes.Status400BadRequest, ErrorCodes.MfaMethodUnavailable, "This second factor is not turned on for the account.");

    private static Task<User?> CurrentUserAsync(HttpContext context, BastionDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        return userId is null
            ? Task.FromResult<User?>(null)
            : db.Users.FirstOrDefaultAsync(u => u.Id == userId.Value && u.Status == UserStatus.Active, cancellationToken);
    }
}

internal sealed record MfaRequest(
    [property: JsonPropertyName("mfa_token")] string? MfaToken,
    [property: JsonPropertyName("method")] string? Method,
    [property: JsonPropertyName("code")] string? Code);

internal sealed record MfaEmailRequest([property: JsonPropertyName("mfa_token")] string? MfaToken);

internal sealed record ReauthenticateRequest(string? Password, string? Method, string? Code);

internal sealed record MfaCodeRequest(string? Code);

internal sealed record MfaStatusResponse(bool Enabled, bool Totp, bool Email, int RecoveryCodesRemaining)
{
    public static MfaStatusResponse From(User user) => new(
        user.MfaEnabled,
        user.TotpSecret is not null,
        user.EmailMfaEnabled,
        user.RecoveryCodes is null ? 0 : RecoveryCodes.CountRemaining(user.RecoveryCodes));
}

internal sealed record MfaConfirmedResponse(MfaStatusResponse Mfa, IReadOnlyList<string>? RecoveryCodes);

internal sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);
