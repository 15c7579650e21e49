using System.ComponentModel.DataAnnotations;
using Bastion.Access;
using Bastion.Audit;
using Bastion.Encryption;
using Bastion.Idempotency;
using Bastion.Mfa;
using Bastion.Protection;
using Bastion.Uploads;
using Bastion.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bastion.Server.Domain;

/// <summary>The equipment API (<c>/api/equipment</c>): each endpoint states who may call it in one line.</summary>
internal static class EquipmentApi
{
    public static RouteGroupBuilder MapEquipmentApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/equipment").WithTags("Equipment");
        group.MapGet("/", SearchAsync).RequirePermission(EquipmentService.Resource, "read");
        group.MapPost("/", CreateAsync).RequirePermission(EquipmentService.Resource, "create").WithIdempotency<DomainDbContext, EquipmentRequest>();
        group.MapGet("/{id:guid}", GetAsync).RequirePermission(EquipmentService.Resource, "read");
        group.MapPut("/{id:guid}", UpdateAsync).RequirePermission(EquipmentService.Resource, "update");
        group.MapDelete("/{id:guid}", DeleteAsync).RequirePermission(EquipmentService.Resource, "delete");
        // Kept at its first address; the job covers every encrypted column, the library's and this host's.
        group.MapReEncryption("/admin/re-encrypt").RequireRecentAuthentication();
        return group;
    }

    private static async Task<IResult> SearchAsync(
        string? q,
        string? serialNumber,
        [Range(1, Paging.MaxPage)] int? page,
        [Range(1, EquipmentService.MaxPageSize)] int? pageSize,
        HttpContext context,
        AccessPolicy access,
        EquipmentService equipment,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (q is { Length: > 100 })
        {
            errors.Add("q", "Search text must be at most 100 characters.");
        }

        if (!errors.IsEmpty)
        {
            return BastionProblems.Validation(errors.ToDictionary());
        }

        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var (items, hasMore) = await equipment.SearchAsync(subject, q, serialNumber, page ?? 1, pageSize ?? 20, cancellationToken);
        return TypedResults.Ok(new PageOf<EquipmentView>(items, page ?? 1, pageSize ?? 20, hasMore));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext context, AccessPolicy access, EquipmentService equipment, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        if (await equipment.GetAsync(subject, id, cancellationToken) is not { } view)
        {
            return DomainRecords.NotFound();
        }

        await context.AuditAsync(DomainAudit.Access(context, "equipment", id));
        return TypedResults.Ok(view);
    }

    private static async Task<IResult> CreateAsync(EquipmentRequest request, HttpContext context, AccessPolicy access, EquipmentService equipment, IAuditLog audit, CancellationToken cancellationToken)
    {
        var errors = EquipmentInput.Validate(request, out var input);
        if (!errors.IsEmpty)
        {
            return BastionProblems.Validation(errors.ToDictionary());
        }

        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var created = equipment.New(subject, input);
        var view = equipment.View(created);
        audit.Stage(equipment.Db, DomainAudit.Modification(context, "equipment", created.Id, "create", null, EquipmentSnapshot(view)));
        await equipment.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/equipment/{created.Id}", view);
    }

    private static async Task<IResult> UpdateAsync(Guid id, EquipmentRequest request, HttpContext context, AccessPolicy access, EquipmentService equipment, IAuditLog audit, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var (record, refusal) = await equipment.Db.Equipment.FindForChangeAsync(id, access, subject, EquipmentService.Resource, "update", cancellationToken);
        if (record is null)
        {
            return refusal!;
        }

        var errors = EquipmentInput.Validate(request, out var input);
        if (!errors.IsEmpty)
        {
            return BastionProblems.Validation(errors.ToDictionary());
        }

        var before = EquipmentSnapshot(equipment.View(record));
        equipment.Apply(record, input);
        var after = equipment.View(record);
        audit.Stage(equipment.Db, DomainAudit.Modification(context, "equipment", id, "update", before, EquipmentSnapshot(after)));
        await equipment.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(after);
    }

    private static async Task<IResult> DeleteAsync(
        Guid id, HttpContext context, AccessPolicy access, EquipmentService equipment, UploadStore uploads, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var (record, refusal) = await equipment.Db.Equipment.FindForChangeAsync(id, access, subject, EquipmentService.Resource, "delete", cancellationToken);
        if (record is null)
        {
            return refusal!;
        }

        record.DeletedAt = time.GetUtcNow();
        audit.Stage(equipment.Db, DomainAudit.Modification(context, "equipment", id, "delete", null, null));
        await EquipmentFilesApi.SaveRemovingAttachmentsAsync(equipment.Db, uploads, id, cancellationToken);
        return TypedResults.NoContent();
    }

    // The encrypted fields are named when they change, never shown: the audit log must not undo the encryption.
    private static Dictionary<string, object?> EquipmentSnapshot(EquipmentView view) => new()
    {
        ["name"] = view.Name,
        ["description"] = view.Description,
        ["serialNumber"] = view.SerialNumber,
        ["cost"] = view.Cost,
        ["notes"] = view.Notes,
    };
}
