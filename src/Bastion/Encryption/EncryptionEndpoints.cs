using Bastion.Access;
using Bastion.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bastion.Encryption;

/// <summary>
/// Key rotation for super administrators (<c>/api/admin/encryption</c>): which key versions the database uses
/// (<c>GET status</c>) and the re-encryption job over every declared column (<c>POST re-encrypt</c>).
/// </summary>
public static class EncryptionEndpoints
{
    /// <summary>
    /// Maps the re-encryption job at <paramref name="pattern"/> as well, for a host that published it elsewhere
    /// before; the same authorization as <c>/api/admin/encryption/re-encrypt</c>.
    /// </summary>
    public static RouteHandlerBuilder MapReEncryption(this IEndpointRouteBuilder endpoints, string pattern)
        => endpoints.MapPost(pattern, ReEncryptAsync).WithTags("Administration").RequireRole(Storage.Roles.SuperAdmin);

    /// <returns>The re-encryption endpoint, to which the caller adds the step-up requirement of administrative
    /// changes (kept out of this namespace, which the second-factor capability imports).</returns>
    internal static RouteHandlerBuilder MapEncryptionApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/encryption").WithTags("Administration").RequireRole(Storage.Roles.SuperAdmin);
        group.MapGet("/status", StatusAsync).WithName("EncryptionStatus");
        return group.MapPost("/re-encrypt", ReEncryptAsync).WithName("ReEncrypt");
    }

    private static async Task<Ok<EncryptionStatus>> StatusAsync(FieldReEncryption job, CancellationToken cancellationToken)
        => TypedResults.Ok(await job.StatusAsync(cancellationToken));

    private static async Task<Ok<ReEncryptionReport>> ReEncryptAsync(FieldReEncryption job, HttpContext context, CancellationToken cancellationToken)
    {
        // Each batch is audited with the values it rewrote; this entry records the run itself, even when nothing was left to do.
        var report = await job.RunAsync(context.AuditEvent(AuditEventTypes.DataModification), cancellationToken);
        await context.AuditAsync(context.AuditEvent(AuditEventTypes.DataModification, severity: AuditSeverity.Warning) with
        {
            Action = "re-encrypt",
            Details = new System.Text.Json.Nodes.JsonObject
            {
                ["reEncrypted"] = report.ReEncrypted,
                ["reIndexed"] = report.ReIndexed,
                ["conflicts"] = report.Conflicts,
                ["unreadable"] = report.Unreadable,
            },
        });
        return TypedResults.Ok(report);
    }
}
