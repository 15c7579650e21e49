using Bastion.Access;
using Bastion.Audit;
using Bastion.Mfa;
using Bastion.Protection;
using Bastion.Sessions;
using Bastion.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bastion.Tokens;

/// <summary>Refreshing tokens, the public keys, and rotating the signing key on demand.</summary>
internal static class TokenEndpoints
{
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/auth/refresh", RefreshAsync).WithName("Refresh").WithTags("Authentication").AllowAnonymous();
        endpoints.MapGet("/.well-known/jwks.json", Jwks).WithName("Jwks").WithTags("Authentication").AllowAnonymous();
        endpoints.MapPost("/api/admin/keys/rotate", RotateAsync).WithName("RotateSigningKey").WithTags("Administration")
            .RequirePermission("keys", "rotate").RequireRecentAuthentication();
        return endpoints;
    }

    private static async Task<Results<Ok<TokenPair>, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, TokenService tokens, HttpContext context, CancellationToken cancellationToken)
    {
        var (pair, failure, _) = await tokens.RefreshAsync(request.RefreshToken, SessionClient.From(context), (failure, userId) => failure switch
        {
            RefreshFailure.None => context.AuditEvent(AuditEventTypes.TokenRefreshed) with { UserId = userId },
            RefreshFailure.Reused => context.AuditEvent(AuditEventTypes.RefreshReused, AuditOutcome.Denied, AuditSeverity.Critical) with { UserId = userId },
            _ => context.AuditEvent(AuditEventTypes.TokenRefreshed, AuditOutcome.Failure, AuditSeverity.Warning) with
            {
                UserId = userId,
                Details = new System.Text.Json.Nodes.JsonObject { ["reason"] = failure.ToString() },
            },
        }, cancellationToken);
        return failure switch
        {
            RefreshFailure.None => TypedResults.Ok(pair!),
            RefreshFailure.Reused => BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.RefreshReused,
                "This refresh token was already used; every token of this sign-in has been revoked. Sign in again."),
            RefreshFailure.Expired => BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.TokenExpired, "The refresh token expired. Sign in again."),
            RefreshFailure.Revoked => BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.TokenRevoked, "The refresh token has been revoked. Sign in again."),
            _ => BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.TokenInvalid, "The refresh token is not valid."),
        };
    }

    private static IResult Jwks(SigningKeyRing keys, HttpContext context)
    {
        // Public keys may be cached briefly; a new key is published a KeyActivationDelay before it signs.
        context.Response.Headers.CacheControl = "public, max-age=60";
        return Results.Text(keys.JwksJson, "application/jwk-set+json");
    }

    private static async Task<Ok<RotatedResponse>> RotateAsync(SigningKeyRing keys, HttpContext context, CancellationToken cancellationToken)
    {
        var kid = await keys.RotateAsync(cancellationToken);
        await context.AuditAsync(context.AuditEvent(AuditEventTypes.DataModification, severity: AuditSeverity.Warning) with
        {
            Action = "rotate",
            EntityType = "signing_key",
            EntityId = kid,
        });
        return TypedResults.Ok(new RotatedResponse(kid));
    }
}

internal sealed record RefreshRequest([property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken);

internal sealed record LogoutRequest([property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string? RefreshToken);

internal sealed record RotatedResponse(string Kid);
