using System.Text.Json.Nodes;
using Bastion.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Bastion.Mfa;
using Bastion.Protection;
using Microsoft.AspNetCore.Http;

namespace Bastion.Access;

/// <summary>Writes a <c>permission_denied</c> entry for every 403 the authorization middleware gives, then answers as usual.</summary>
internal sealed class AuditingAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && IsOnlyStepUp(authorizeResult.AuthorizationFailure))
        {
            // Allowed, but not recently enough authenticated: say so, so the client re-authenticates instead of
            // giving up (RFC 9470 names the same situation insufficient_user_authentication for bearer callers).
            await context.AuditAsync(context.AuditEvent(AuditEventTypes.PermissionDenied, AuditOutcome.Denied) with
            {
                Details = new JsonObject { ["required"] = new JsonArray("recent_authentication") },
            });
            if (context.User.Identity?.AuthenticationType == Tokens.BearerDefaults.AuthenticationScheme)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_user_authentication\", error_description=\"A recent sign-in is required\"";
            }

            await BastionProblems.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.StepUpRequired,
                "Confirm your password, and your second factor if you use one, at /api/auth/reauthenticate, then repeat this request.");
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var required = authorizeResult.AuthorizationFailure?.FailedRequirements.Select(r => r switch
            {
                PermissionRequirement p => $"{p.Resource}:{p.Action}",
                MinimumRoleRequirement m => $"role:{m.Role}",
                RecentAuthenticationRequirement => "recent_authentication",
                _ => r.GetType().Name,
            });
            await context.AuditAsync(context.AuditEvent(AuditEventTypes.PermissionDenied, AuditOutcome.Denied, AuditSeverity.Warning) with
            {
                Details = new JsonObject { ["required"] = new JsonArray((required ?? []).Select(r => (JsonNode?)r).ToArray()) },
            });
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static bool IsOnlyStepUp(AuthorizationFailure? failure)
        => failure is { FailCalled: false } && failure.FailedRequirements.Any()
            && failure.FailedRequirements.All(r => r is RecentAuthenticationRequirement);
}
