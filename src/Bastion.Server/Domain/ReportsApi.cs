using System.ComponentModel.DataAnnotations;
using Bastion.Access;
using Bastion.Audit;
using Bastion.Idempotency;
using Bastion.Protection;
using Bastion.Validation;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Server.Domain;

/// <summary>The reports API (<c>/api/reports</c>), under the same permission model as equipment.</summary>
internal static class ReportsApi
{
    public const string Resource = "reports";
    private const int MaxPageSize = 100;

    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/reports").WithTags("Reports");
        group.MapGet("/", ListAsync).RequirePermission(Resource, "read");
        group.MapPost("/", CreateAsync).RequirePermission(Resource, "create").WithIdempotency<DomainDbContext, ReportRequest>();
        group.MapGet("/{id:guid}", GetAsync).RequirePermission(Resource, "read");
        group.MapPut("/{id:guid}", UpdateAsync).RequirePermission(Resource, "update");
        group.MapDelete("/{id:guid}", DeleteAsync).RequirePermission(Resource, "delete");
        return group;
    }

    private static async Task<IResult> ListAsync(
        [Range(1, Paging.MaxPage)] int? page,
        [Range(1, MaxPageSize)] int? pageSize,
        HttpContext context,
        AccessPolicy access,
        DomainDbContext db,
        CancellationToken cancellationToken)
    {
        var (number, size) = (page ?? 1, pageSize ?? 20);
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var rows = await db.Reports.AsNoTracking().Allowed(access, subject, Resource, "read")
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip(Paging.Offset(number, size)).Take(size + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<Report>(rows.Take(size).ToList(), number, size, rows.Count > size));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext context, AccessPolicy access, DomainDbContext db, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var report = await db.Reports.AsNoTracking().Allowed(access, subject, Resource, "read").Where(DomainRecords.HasId<Report>(id)).FirstOrDefaultAsync(cancellationToken);
        if (report is null)
        {
            return DomainRecords.NotFound();
        }

        await context.AuditAsync(DomainAudit.Access(context, Resource, id));
        return TypedResults.Ok(report);
    }

    private static async Task<IResult> CreateAsync(ReportRequest request, HttpContext context, AccessPolicy access, DomainDbContext db, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = ReportInput.Validate(request, out var input);
        if (!errors.IsEmpty)
        {
            return BastionProblems.Validation(errors.ToDictionary());
        }

        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var now = time.GetUtcNow();
        var report = new Report
        {
            Id = Guid.CreateVersion7(now),
            DocumentTitle = input.DocumentTitle!,
            DocumentReference = input.DocumentReference!,
            ProjectReference = input.ProjectReference!,
            ClientName = input.ClientName!,
            OwnerId = subject.UserId,
            Department = subject.Department,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Reports.Add(report);
        audit.Stage(db, DomainAudit.Modification(context, Resource, report.Id, "create", null, Snapshot(report)));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/reports/{report.Id}", report);
    }

    private static async Task<IResult> UpdateAsync(Guid id, ReportRequest request, HttpContext context, AccessPolicy access, DomainDbContext db, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var (report, refusal) = await db.Reports.FindForChangeAsync(id, access, subject, Resource, "update", cancellationToken);
        if (report is null)
        {
            return refusal!;
        }

        var errors = ReportInput.Validate(request, out var input);
        if (!errors.IsEmpty)
        {
            return BastionProblems.Validation(errors.ToDictionary());
        }

        var before = Snapshot(report);
        (report.DocumentTitle, report.DocumentReference, report.ProjectReference, report.ClientName) =
            (input.DocumentTitle!, input.DocumentReference!, input.ProjectReference!, input.ClientName!);
        report.UpdatedAt = time.GetUtcNow();
        audit.Stage(db, DomainAudit.Modification(context, Resource, id, "update", before, Snapshot(report)));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(report);
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext context, AccessPolicy access, DomainDbContext db, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var (report, refusal) = await db.Reports.FindForChangeAsync(id, access, subject, Resource, "delete", cancellationToken);
        if (report is null)
        {
            return refusal!;
        }

        report.DeletedAt = time.GetUtcNow();
        audit.Stage(db, DomainAudit.Modification(context, Resource, id, "delete", null, null));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static Dictionary<string, object?> Snapshot(Report report) => new()
    {
        ["documentTitle"] = report.DocumentTitle,
        ["documentReference"] = report.DocumentReference,
        ["projectReference"] = report.ProjectReference,
        ["clientName"] = report.ClientName,
    };
}
