using Bastion.Protection;
using Bastion.Sessions;
using Bastion.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bastion.Accounts;

/// <summary>The JSON API for registration and password sign-in (<c>/api/auth</c>).</summary>
internal static class AccountEndpoints
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/auth").WithTags("Authentication");
        group.MapPost("/register", RegisterAsync).WithName("Register").AllowAnonymous();
        group.MapPost("/login", LoginAsync).WithName("Login").AllowAnonymous();
        group.MapPost("/logout", (Delegate)LogoutAsync).WithName("Logout").RequireAuthorization();
        group.MapGet("/me", Me).WithName("Me").RequireAuthorization();
        group.MapGet("/csrf", Csrf).WithName("Csrf").AllowAnonymous();
        return group;
    }

    private static async Task<Results<Created<RegisteredResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        var result = await accounts.RegisterAsync(
            new Registration(request.Email, request.Password, request.FullName, request.RequestedRole), cancellationToken);

        if (result.Errors is not null)
        {
            var extensions = result.Password is null ? null : new Dictionary<string, object?>
            {
                ["passwordStrength"] = new { score = result.Password.Score, failed = result.Password.Failures.Select(f => f.Code) },
            };
            return BastionProblems.Validation(result.Errors.ToDictionary(), extensions);
        }

        if (result.EmailTaken)
        {
            return BastionProblems.Problem(StatusCodes.Status409Conflict, ErrorCodes.EmailTaken, "An account with this e-mail address already exists.");
        }

        var user = result.User!;
        return TypedResults.Created($"/api/admin/users/{user.Id}", new RegisteredResponse(user.Id, user.Email, user.Status));
    }

    private static async Task<Results<Ok<SignedInResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, AccountService accounts, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await accounts.CheckPasswordAsync(request.Email, request.Password, cancellationToken);
        switch (result.Failure)
        {
            case SignInFailure.InvalidCredentials:
                // One answer for an unknown e-mail and a wrong password (OWASP Authentication Cheat Sheet).
                return BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidCredentials, "Invalid e-mail or password.");
            case SignInFailure.PendingApproval:
                return BastionProblems.Problem(StatusCodes.Status403Forbidden, ErrorCodes.AccountPending, "This account is waiting for an administrator's approval.");
            case SignInFailure.Disabled:
                return BastionProblems.Problem(StatusCodes.Status403Forbidden, ErrorCodes.AccountDisabled, "This account is disabled.");
        }

        var user = result.User!;
        await context.SignInAsync(SessionAuthenticationHandler.SchemeName, AccountPrincipal.Create(user, ["pwd"]));
        var session = context.Features.Get<SessionFeature>()!;
        return TypedResults.Ok(new SignedInResponse(UserResponse.From(user), session.Handle, session.Record.ExpiresAt));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(SessionAuthenticationHandler.SchemeName);
        return TypedResults.NoContent();
    }

    private static Ok<MeResponse> Me(HttpContext context)
    {
        var user = context.User;
        return TypedResults.Ok(new MeResponse(
            user.UserId()!.Value,
            user.FindFirst(BastionClaims.Email)?.Value ?? string.Empty,
            user.FindFirst(BastionClaims.Name)?.Value ?? string.Empty,
            user.FindAll(BastionClaims.Role).Select(c => c.Value).ToList(),
            user.FindAll(BastionClaims.AuthenticationMethod).Select(c => c.Value).ToList()));
    }

    private static Ok<CsrfResponse> Csrf(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new CsrfResponse(tokens.RequestToken!, tokens.HeaderName!));
    }
}

internal sealed record RegisterRequest(string? Email, string? Password, string? FullName, string? RequestedRole);

internal sealed record LoginRequest(string? Email, string? Password);

internal sealed record RegisteredResponse(Guid Id, string Email, string Status);

internal sealed record UserResponse(Guid Id, string Email, string FullName, IReadOnlyList<string> Roles)
{
    public static UserResponse From(User user) => new(user.Id, user.Email, user.FullName, user.Roles.Select(r => r.RoleName).ToList());
}

internal sealed record SignedInResponse(UserResponse User, string SessionId, DateTimeOffset SessionExpiresAt);

internal sealed record MeResponse(Guid Id, string Email, string FullName, IReadOnlyList<string> Roles, IReadOnlyList<string> Amr);

internal sealed record CsrfResponse(string Token, string HeaderName);
