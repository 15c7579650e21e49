using Bastion.Abuse;
using Bastion.Accounts;
using Bastion.Hosting;
using Bastion.Protection;
using Bastion.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bastion.Recovery;

/// <summary>The JSON API for password reset and address verification (<c>/api/auth/password</c>, <c>/api/auth/email</c>).</summary>
internal static class RecoveryEndpoints
{
    public static RouteGroupBuilder MapRecoveryApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/auth").WithTags("Account recovery");
        group.MapPost("/password/forgot", ForgotAsync).WithName("ForgotPassword").AllowAnonymous().RequireRateBudget(RateBudgets.Mail);
        group.MapPost("/password/reset", ResetAsync).WithName("ResetPassword").AllowAnonymous().RequireRateBudget(RateBudgets.Code);
        group.MapPost("/email/verify", VerifyAsync).WithName("VerifyEmail").AllowAnonymous().RequireRateBudget(RateBudgets.Code);
        group.MapPost("/email/resend", ResendAsync).WithName("ResendVerification").RequireAuthorization(BastionAuthentication.Policy).RequireRateBudget(RateBudgets.Mail);
        return group;
    }

    /// <summary>202 with no body for every address (OWASP Forgot Password Cheat Sheet: "return a consistent message").</summary>
    private static async Task<Results<Accepted, ValidationProblem>> ForgotAsync(
        ForgotPasswordRequest request, HttpContext context, PasswordReset reset, CancellationToken cancellationToken)
    {
        var errors = await reset.RequestAsync(context, request.Email, cancellationToken);
        return errors is null ? TypedResults.Accepted((string?)null) : BastionProblems.Validation(errors.ToDictionary());
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetAsync(
        ResetPasswordRequest request, HttpContext context, PasswordReset reset, CancellationToken cancellationToken)
    {
        var result = await reset.ResetAsync(context, request.Token, request.NewPassword, cancellationToken);
        if (result.Errors is not null)
        {
            return BastionProblems.Validation(result.Errors.ToDictionary(), AccountEndpoints.PasswordExtensions(result.Password));
        }

        return result.Succeeded
            ? TypedResults.NoContent()
            : BastionProblems.Problem(StatusCodes.Status400BadRequest, ErrorCodes.ResetTokenInvalid,
                "The reset link is invalid, expired or already used. Ask for a new one.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> VerifyAsync(
        VerifyEmailRequest request, HttpContext context, EmailVerification verification, CancellationToken cancellationToken)
        => await verification.VerifyAsync(context, request.Token, cancellationToken)
            ? TypedResults.NoContent()
            : BastionProblems.Problem(StatusCodes.Status400BadRequest, ErrorCodes.VerificationTokenInvalid,
                "The verification link is invalid, expired or already used. Sign in and ask for a new one.");

    private static async Task<Results<Accepted, ProblemHttpResult>> ResendAsync(
        HttpContext context, EmailVerification verification, CancellationToken cancellationToken)
    {
        if (await verification.ResendAsync(context.User.UserId()!.Value, cancellationToken) is { } wait)
        {
            BastionProblems.SetRetryAfter(context, wait);
            return BastionProblems.Problem(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                "A verification link was sent recently; try again after the time in Retry-After.");
        }

        return TypedResults.Accepted((string?)null);
    }
}

internal sealed record ForgotPasswordRequest(string? Email);

internal sealed record ResetPasswordRequest(string? Token, string? NewPassword);

internal sealed record VerifyEmailRequest(string? Token);
