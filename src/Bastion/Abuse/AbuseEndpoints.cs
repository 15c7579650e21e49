using System.Net;
using Bastion.Access;
using Bastion.Audit;
using Bastion.Mfa;
using Bastion.Protection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bastion.Abuse;

/// <summary>Blocked addresses for administrators (<c>/api/admin/blocked-ips</c>).</summary>
internal static class AbuseEndpoints
{
    public static IEndpointRouteBuilder MapAbuseApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/blocked-ips").WithTags("Administration").RequireRole(Storage.Roles.Admin);
        group.MapGet("/", (IpBlockList blocks) => TypedResults.Ok(blocks.List().Select(b => new BlockedAddress(b.Address, b.Until)).ToList()));
        group.MapDelete("/{ip}", UnblockAsync).RequireRecentAuthentication();
        return endpoints;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UnblockAsync(string ip, IpBlockList blocks, HttpContext context, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(ip, out var address))
        {
            return BastionProblems.Problem(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "Not an IP address.");
        }

        if (!await blocks.UnblockAsync(address, cancellationToken))
        {
            return BastionProblems.Problem(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "This address is not blocked.");
        }

        await context.AuditAsync(context.AuditEvent(AuditEventTypes.IpUnblocked) with { EntityType = "ip_address", EntityId = address.ToString() });
        return TypedResults.NoContent();
    }
}

internal sealed record BlockedAddress(string Address, DateTimeOffset Until);
