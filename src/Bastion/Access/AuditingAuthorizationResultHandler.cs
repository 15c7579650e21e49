using System.Text.Json.Nodes;
using Bastion.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Bastion.Access;

/// <summary>Writes a <c>permission_denied</c> entry for every 403 the authorization middleware gives, then answers as usual.</summary>
internal sealed class AuditingAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            var required = authorizeResult.AuthorizationFailure?.FailedRequirements.Select(r => r switch
            {
                PermissionRequirement p => $"{p.Resource}:{p.Action}",
                MinimumRoleRequirement m => $"role:{m.Role}",
                _ => r.GetType().Name,
            });
            await context.AuditAsync(context.AuditEvent(AuditEventTypes.PermissionDenied, AuditOutcome.Denied, AuditSeverity.Warning) with
            {
                Details = new JsonObject { ["required"] = new JsonArray((required ?? []).Select(r => (JsonNode?)r).ToArray()) },
            });
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
