using System.ComponentModel.DataAnnotations;
using Bastion.Access;
using Bastion.Mfa;
using Bastion.Protection;
using Bastion.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bastion.Audit;

/// <summary>The audit log for administrators (<c>/api/admin/audit</c>): query, export, verify.</summary>
internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/audit").WithTags("Audit").RequirePermission("audit", "read");
        group.MapGet("/", QueryAsync);

        // The export is a bulk read of personal data (addresses, e-mails, user agents): it asks for a fresh step-up like a change.
        group.MapGet("/export", ExportAsync).RequireRecentAuthentication();
        group.MapGet("/verify", async (AuditChainVerifier verifier, CancellationToken cancellationToken) => TypedResults.Ok(await verifier.VerifyAsync(cancellationToken)));
        return endpoints;
    }

    private static async Task<IResult> QueryAsync(
        string? type, Guid? userId, DateTimeOffset? from, DateTimeOffset? to, string? outcome, string? entityType, string? entityId,
        [Range(typeof(long), "1", "9223372036854775807")] long? cursor,
        [Range(1, AuditQuery.MaxPageSize)] int? pageSize,
        IAuditReader reader,
        CancellationToken cancellationToken)
    {
        var (query, errors) = Build(type, userId, from, to, outcome, entityType, entityId);
        if (!errors.IsEmpty)
        {
            return BastionProblems.Validation(errors.ToDictionary());
        }

        return TypedResults.Ok(await reader.QueryAsync(query with { Cursor = cursor, PageSize = pageSize ?? 50 }, cancellationToken));
    }

    /// <summary>The whole filtered log, streamed: CSV (formulas neutralised) or JSON Lines, oldest first.</summary>
    private static async Task ExportAsync(
        string? format, string? type, Guid? userId, DateTimeOffset? from, DateTimeOffset? to, string? outcome, string? entityType, string? entityId,
        HttpContext context, AuditExporter exporter, CancellationToken cancellationToken)
    {
        var (query, errors) = Build(type, userId, from, to, outcome, entityType, entityId);
        var jsonLines = string.Equals(format, "jsonl", StringComparison.OrdinalIgnoreCase);
        if (format is not null && !jsonLines && !string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("format", "Format is csv or jsonl.");
        }

        if (!errors.IsEmpty)
        {
            await BastionProblems.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value)));
            return;
        }

        query = query with { NewestFirst = false };
        context.Response.ContentType = jsonLines ? AuditExporter.JsonLinesContentType : AuditExporter.CsvContentType;
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"audit.{(jsonLines ? "jsonl" : "csv")}\"";
        await (jsonLines ? exporter.WriteJsonLinesAsync(context.Response.Body, query, cancellationToken) : exporter.WriteCsvAsync(context.Response.Body, query, cancellationToken));
    }

    private static (AuditQuery Query, FieldErrors Errors) Build(
        string? type, Guid? userId, DateTimeOffset? from, DateTimeOffset? to, string? outcome, string? entityType, string? entityId)
    {
        var errors = new FieldErrors();
        if (type is not null && !AuditEventTypes.IsValid(type))
        {
            errors.Add("type", "Type must be a snake_case event name such as login_failure.");
        }

        AuditOutcome? parsedOutcome = null;
        if (outcome is not null)
        {
            if (Enum.TryParse<AuditOutcome>(outcome, ignoreCase: true, out var value) && Enum.IsDefined(value))
            {
                parsedOutcome = value;
            }
            else
            {
                errors.Add("outcome", "Outcome is success, failure or denied.");
            }
        }

        if (from is not null && to is not null && from >= to)
        {
            errors.Add("from", "From must be before to.");
        }

        return (new AuditQuery { Type = type, UserId = userId, From = from, To = to, Outcome = parsedOutcome, EntityType = entityType, EntityId = entityId }, errors);
    }
}
