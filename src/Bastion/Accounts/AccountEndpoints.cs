using System.Globalization;
using Bastion.Abuse;
using Bastion.Access;
using Bastion.Audit;
using Bastion.Hosting;
using Bastion.Mfa;
using Bastion.Protection;
using Bastion.Sessions;
using Bastion.Storage;
using Bastion.Tokens;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Accounts;

/// <summary>The JSON API for registration and password sign-in (<c>/api/auth</c>).</summary>
internal static class AccountEndpoints
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/auth").WithTags("Authentication");
        group.MapPost("/register", RegisterAsync).WithName("Register").AllowAnonymous().RequireRateBudget(RateBudgets.Mail);
        group.MapPost("/login", LoginAsync).WithName("Login").AllowAnonymous().RequireRateBudget(RateBudgets.SignIn);
        group.MapPost("/logout", LogoutAsync).WithName("Logout").RequireAuthorization(BastionAuthentication.Policy);
        group.MapGet("/me", MeAsync).WithName("Me").RequireAuthorization(BastionAuthentication.Policy);
        group.MapGet("/csrf", Csrf).WithName("Csrf").AllowAnonymous();

        endpoints.MapPost("/api/account/password", ChangePasswordAsync).WithName("ChangePassword").WithTags("Account")
            .RequireAuthorization(BastionAuthentication.Policy).RequireRecentAuthentication().RequireRateBudget(RateBudgets.SignIn);
        endpoints.MapPost("/api/account/email", ChangeEmailAsync).WithName("ChangeEmail").WithTags("Account")
            .RequireAuthorization(BastionAuthentication.Policy).RequireRecentAuthentication().RequireRateBudget(RateBudgets.Mail);
        endpoints.MapPost("/api/account/delete", DeleteAccountAsync).WithName("DeleteAccount").WithTags("Account")
            .RequireAuthorization(BastionAuthentication.Policy).RequireRecentAuthentication().RequireRateBudget(RateBudgets.SignIn);
        // A whole history leaves in one request: as with deletion, only right after signing in or re-authenticating.
        endpoints.MapGet("/api/account/export", ExportPersonalDataAsync).WithName("ExportPersonalData").WithTags("Account")
            .RequireAuthorization(BastionAuthentication.Policy).RequireRecentAuthentication();
        return group;
    }

    private static async Task ExportPersonalDataAsync(HttpContext context, BastionDbContext db, PersonalDataExport export, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId()!.Value;
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            await BastionProblems.WriteAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The account no longer exists.");
            return;
        }

        await context.AuditAsync(context.AuditEvent(AuditEventTypes.DataAccess) with { Resource = "account", Action = "export", EntityType = "user", EntityId = userId.ToString() });
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"personal-data-{time.GetUtcNow():yyyy-MM-dd}.json\"");
        await export.WriteAsync(userId, context.Response.BodyWriter, cancellationToken);
    }

    private static async Task<Results<NoContent, ValidationProblem>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext context, AccountService accounts, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId()!.Value;
        var audited = context.AuditEvent(AuditEventTypes.PasswordChanged, severity: AuditSeverity.Warning);
        // Every other session and every token family ends with the change (OWASP: invalidate sessions on password
        // change); a cookie caller keeps the session it changed the password in.
        var result = await accounts.ChangePasswordAsync(
            userId, request.CurrentPassword, request.NewPassword, audited, context.Features.Get<SessionFeature>()?.Handle, cancellationToken);
        if (result.Errors is not null)
        {
            return BastionProblems.Validation(result.Errors.ToDictionary(), PasswordExtensions(result.Password));
        }

        return TypedResults.NoContent();
    }

    /// <summary>Mails a link to the new address; the change takes effect when it is opened (<see cref="Recovery.EmailChange"/>).</summary>
    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> ChangeEmailAsync(
        ChangeEmailRequest request, HttpContext context, Recovery.EmailChange change, CancellationToken cancellationToken)
    {
        var result = await change.RequestAsync(context, context.User.UserId()!.Value, request.NewEmail, cancellationToken);
        switch (result.Outcome)
        {
            case Recovery.EmailChangeOutcome.Invalid:
                return BastionProblems.Validation(result.Errors!.ToDictionary());
            case Recovery.EmailChangeOutcome.Taken:
                return BastionProblems.Problem(StatusCodes.Status409Conflict, ErrorCodes.EmailTaken, "An account with this e-mail address already exists.");
            case Recovery.EmailChangeOutcome.Throttled:
                BastionProblems.SetRetryAfter(context, result.RetryAfter!.Value);
                return BastionProblems.Problem(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "A link was sent recently; try again after the time in Retry-After.");
            default:
                return TypedResults.Accepted((string?)null);
        }
    }

    private static async Task<Results<NoContent, ValidationProblem>> DeleteAccountAsync(
        DeleteAccountRequest request, HttpContext context, AccountDeletion deletion, CancellationToken cancellationToken)
    {
        if (!await deletion.DeleteAsync(context, context.User.UserId()!.Value, request.Password, cancellationToken))
        {
            return BastionProblems.Validation(new Dictionary<string, string[]> { ["password"] = ["The password is not correct."] });
        }

        if (context.User.Identity?.AuthenticationType != BearerDefaults.AuthenticationScheme)
        {
            await context.SignOutAsync(SessionDefaults.AuthenticationScheme);
        }

        return TypedResults.NoContent();
    }

    internal static Dictionary<string, object?>? PasswordExtensions(Passwords.PasswordEvaluation? evaluation) => evaluation is null ? null : new()
    {
        ["passwordStrength"] = new { score = evaluation.Score, failed = evaluation.Failures.Select(f => f.Code) },
    };

    private static async Task<Results<Created<RegisteredResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, AccountService accounts, Recovery.EmailVerification verification, CancellationToken cancellationToken)
    {
        var result = await accounts.RegisterAsync(
            new Registration(request.Email, request.Password, request.FullName, request.RequestedRole), cancellationToken);

        if (result.Errors is not null)
        {
            return BastionProblems.Validation(result.Errors.ToDictionary(), PasswordExtensions(result.Password));
        }

        if (result.EmailTaken)
        {
            return BastionProblems.Problem(StatusCodes.Status409Conflict, ErrorCodes.EmailTaken, "An account with this e-mail address already exists.");
        }

        var user = result.User!;
        await verification.SendAsync(user, cancellationToken);
        return TypedResults.Created($"/api/admin/users/{user.Id}", new RegisteredResponse(user.Id, user.Email, user.Status));
    }

    private static async Task<Results<Ok<TokenPair>, Ok<SignedInResponse>, Ok<MfaRequiredResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, PasswordSignIn signIn, SignInCompletion completion, HttpContext context, CancellationToken cancellationToken)
    {
        var attempt = await signIn.SignInAsync(context, request.Email, request.Password, cancellationToken);
        if (attempt.Refused is { } gate)
        {
            return SignInRefusals.Problem(gate, context);
        }

        var result = attempt.Result!;
        switch (result.Failure)
        {
            case SignInFailure.InvalidCredentials:
                // One answer for an unknown e-mail and a wrong password (OWASP Authentication Cheat Sheet).
                return BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidCredentials, "Invalid e-mail or password.");
            case SignInFailure.PendingApproval:
                return BastionProblems.Problem(StatusCodes.Status403Forbidden, ErrorCodes.AccountPending, "This account is waiting for an administrator's approval.");
            case SignInFailure.Disabled:
                return BastionProblems.Problem(StatusCodes.Status403Forbidden, ErrorCodes.AccountDisabled, "This account is disabled.");
            case SignInFailure.EmailUnverified:
                return BastionProblems.Problem(StatusCodes.Status403Forbidden, ErrorCodes.EmailUnverified, Recovery.EmailVerification.UnverifiedMessage);
        }

        var user = result.User!;
        if (user.MfaEnabled)
        {
            // The password alone opens nothing: the client finishes at /api/auth/mfa with the second factor.
            return TypedResults.Ok(await completion.ChallengeAsync(user, request.UseCookie == true, cancellationToken));
        }

        return request.UseCookie == true
            ? TypedResults.Ok(SignedInResponse.From(user, await completion.SignInCookieAsync(context, user, AuthenticationMethods.PasswordOnly, cancellationToken)))
            : TypedResults.Ok(await completion.IssueTokensAsync(context, user, AuthenticationMethods.PasswordOnly, cancellationToken));
    }

    /// <summary>
    /// Ends what the caller signed in with: the session for a cookie; for a bearer token, the token itself and its
    /// whole refresh family (and the family of a refresh token in the body, when it is the caller's).
    /// </summary>
    private static async Task<NoContent> LogoutAsync(
        LogoutRequest? request, HttpContext context, TokenService tokens, BastionDbContext db, CancellationToken cancellationToken)
    {
        var user = context.User;
        if (user.Identity?.AuthenticationType != BearerDefaults.AuthenticationScheme)
        {
            await context.SignOutAsync(SessionDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        }

        // The revocations and the audit entry commit together; a failure part-way revokes nothing, and the client
        // may simply log out again.
        var userId = user.UserId()!.Value;
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(user.FindFirst("exp")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            context.StageAudit(db, context.AuditEvent(AuditEventTypes.TokenRevoked) with { Action = "logout" });
            await tokens.RevokeAccessTokenAsync(user.FindFirst("jti")!.Value, expires, cancellationToken);
            if (user.TokenFamilyId() is { } familyId)
            {
                await tokens.RevokeFamilyAsync(familyId, userId, "logout", cancellationToken);
            }

            if (request?.RefreshToken is { } refreshToken)
            {
                await tokens.RevokeFamilyOfAsync(refreshToken, userId, "logout", cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> MeAsync(HttpContext context, AccessPolicy access, CancellationToken cancellationToken)
    {
        // Roles and permissions as they are now, not as they were when the session or token was issued.
        var user = context.User;
        var subject = await access.SubjectAsync(user, cancellationToken);
        if (subject is null)
        {
            return BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Authentication is required.");
        }

        return TypedResults.Ok(new MeResponse(
            subject.UserId,
            user.FindFirst(BastionClaims.Email)?.Value ?? string.Empty,
            user.FindFirst(BastionClaims.Name)?.Value ?? string.Empty,
            subject.Roles,
            subject.PermissionNames,
            user.FindAll(BastionClaims.AuthenticationMethod).Select(c => c.Value).ToList(),
            subject.HasSecondFactor,
            subject.EmailVerified));
    }

    private static Ok<CsrfResponse> Csrf(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new CsrfResponse(tokens.RequestToken!, tokens.HeaderName!));
    }
}

internal sealed record RegisterRequest(string? Email, string? Password, string? FullName, string? RequestedRole);

internal sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

internal sealed record ChangeEmailRequest(string? NewEmail);

internal sealed record DeleteAccountRequest(string? Password);

internal sealed record LoginRequest(string? Email, string? Password, bool? UseCookie);

internal sealed record RegisteredResponse(Guid Id, string Email, string Status);

internal sealed record UserResponse(Guid Id, string Email, string FullName, IReadOnlyList<string> Roles)
{
    public static UserResponse From(User user) => new(user.Id, user.Email, user.FullName, user.Roles.Select(r => r.RoleName).ToList());
}

internal sealed record SignedInResponse(UserResponse User, string SessionId, DateTimeOffset SessionExpiresAt)
{
    public static SignedInResponse From(User user, SessionFeature session) => new(UserResponse.From(user), session.Handle, session.Record.ExpiresAt);
}

internal sealed record MeResponse(Guid Id, string Email, string FullName, IReadOnlyList<string> Roles, IReadOnlyList<string> Permissions, IReadOnlyList<string> Amr, bool MfaEnabled, bool EmailVerified);

internal sealed record CsrfResponse(string Token, string HeaderName);
