using System.Globalization;
using Bastion.Access;
using Bastion.Audit;
using Bastion.Csv;
using Bastion.Protection;
using Bastion.Uploads;
using Bastion.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bastion.Server.Domain;

/// <summary>Equipment attachments (seed 003 file uploads) and CSV import and export.</summary>
internal static class EquipmentFilesApi
{
    private static readonly CsvImportColumn[] ImportColumns =
        [new("name"), new("serialNumber"), new("cost"), new("description", Required: false), new("notes", Required: false)];

    private static readonly CsvExportColumn<EquipmentView>[] ExportColumns =
    [
        CsvExportColumn<EquipmentView>.Text("id", e => e.Id.ToString()),
        CsvExportColumn<EquipmentView>.Text("name", e => e.Name),
        CsvExportColumn<EquipmentView>.Text("serialNumber", e => e.SerialNumber),
        CsvExportColumn<EquipmentView>.Number("cost", e => (decimal?)e.Cost),
        CsvExportColumn<EquipmentView>.Text("description", e => e.Description),
        CsvExportColumn<EquipmentView>.Text("notes", e => e.Notes),
        CsvExportColumn<EquipmentView>.Text("department", e => e.Department),
        CsvExportColumn<EquipmentView>.Timestamp("createdAt", e => e.CreatedAt),
    ];

    public static RouteGroupBuilder MapEquipmentFilesApi(this IEndpointRouteBuilder endpoints, long maxUploadBytes)
    {
        var group = endpoints.MapGroup("/api/equipment").WithTags("Equipment");

        // Bastion's CSRF middleware protects these like every other unsafe request; the framework's form-binding
        // check would only duplicate it. The body limit is raised for uploads alone.
        group.MapPost("/{id:guid}/attachments", UploadAsync).RequirePermission(EquipmentService.Resource, "update")
            .DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(maxUploadBytes + (64 * 1024)));
        group.MapGet("/{id:guid}/attachments", ListAsync).RequirePermission(EquipmentService.Resource, "read");
        group.MapGet("/{id:guid}/attachments/{attachmentId:guid}", DownloadAsync).RequirePermission(EquipmentService.Resource, "read");
        group.MapDelete("/{id:guid}/attachments/{attachmentId:guid}", DeleteAsync).RequirePermission(EquipmentService.Resource, "update");
        group.MapPost("/import", ImportAsync).RequirePermission(EquipmentService.Resource, "create")
            .WithMetadata(new RequestSizeLimitAttribute(maxUploadBytes));
        group.MapGet("/export", ExportAsync).RequirePermission(EquipmentService.Resource, "read");
        return group;
    }

    private static async Task<IResult> UploadAsync(
        Guid id, IFormFile? file, HttpContext context, AccessPolicy access, EquipmentService equipment,
        UploadValidator validator, UploadStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var (record, refusal) = await equipment.Db.Equipment.FindForChangeAsync(id, access, subject, EquipmentService.Resource, "update", cancellationToken);
        if (record is null)
        {
            return refusal!;
        }

        if (file is null)
        {
            return BastionProblems.Validation(new FieldErrors().Add("file", "Send the file as the multipart field 'file'.").ToDictionary());
        }

        await using var content = file.OpenReadStream();
        var result = await validator.ValidateAsync(file.FileName, file.Length, content, cancellationToken);
        if (!result.Succeeded)
        {
            return BastionProblems.Problem(UploadErrorCodes.StatusCode(result.Error!.Code), result.Error.Code, result.Error.Message);
        }

        using var upload = result.Upload!;

        // The file and its row commit together (UploadStore): no row ever points to a file that was not stored.
        var attachment = await store.SaveAsync(upload, equipment.Db, async (key, token) =>
        {
            var added = new EquipmentAttachment
            {
                Id = Guid.CreateVersion7(time.GetUtcNow()),
                EquipmentId = record.Id,
                FileName = upload.DisplayName,
                ContentType = upload.ContentType,
                Size = upload.Length,
                Sha256 = upload.Sha256,
                StorageKey = key,
                UploadedBy = subject.UserId,
                CreatedAt = time.GetUtcNow(),
            };
            equipment.Db.Attachments.Add(added);
            context.StageAudit(equipment.Db, AttachmentChange(context, id, "attach", added));
            await equipment.Db.SaveChangesAsync(token);
            return added;
        }, cancellationToken);
        return TypedResults.Created($"/api/equipment/{id}/attachments/{attachment.Id}", AttachmentView.From(attachment));
    }

    private static async Task<IResult> ListAsync(Guid id, HttpContext context, AccessPolicy access, EquipmentService equipment, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        if (!await equipment.Readable(subject).Where(DomainRecords.HasId<Equipment>(id)).AnyAsync(cancellationToken))
        {
            return DomainRecords.NotFound();
        }

        var attachments = await equipment.Db.Attachments.AsNoTracking().Where(a => a.EquipmentId == id).OrderBy(a => a.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(attachments.Select(AttachmentView.From).ToList());
    }

    /// <summary>
    /// Served as a download (Content-Disposition: attachment) with the type the bytes were found to be and nosniff,
    /// so a browser never renders an upload in the application's origin.
    /// </summary>
    private static async Task<IResult> DownloadAsync(
        Guid id, Guid attachmentId, HttpContext context, AccessPolicy access, EquipmentService equipment, UploadStore store, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var visible = await equipment.Readable(subject).Where(DomainRecords.HasId<Equipment>(id)).AnyAsync(cancellationToken);
        var attachment = visible ? await equipment.Db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.EquipmentId == id, cancellationToken) : null;
        var stream = attachment is null ? null : await store.OpenReadAsync(attachment.StorageKey, cancellationToken);
        if (stream is null)
        {
            return DomainRecords.NotFound();
        }

        // Closed with the request whatever happens next (a database store's stream holds a connection open).
        context.Response.RegisterForDisposeAsync(stream);

        await context.AuditAsync(DomainAudit.Access(context, "equipment_attachment", attachmentId, "download"));
        context.Response.Headers["Content-Security-Policy"] = "sandbox";
        return TypedResults.File(stream, attachment!.ContentType, attachment.FileName);
    }

    private static async Task<IResult> DeleteAsync(
        Guid id, Guid attachmentId, HttpContext context, AccessPolicy access, EquipmentService equipment, UploadStore store, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var (record, refusal) = await equipment.Db.Equipment.FindForChangeAsync(id, access, subject, EquipmentService.Resource, "update", cancellationToken);
        if (record is null)
        {
            return refusal!;
        }

        var attachment = await equipment.Db.Attachments.FirstOrDefaultAsync(a => a.Id == attachmentId && a.EquipmentId == id, cancellationToken);
        if (attachment is null)
        {
            return DomainRecords.NotFound();
        }

        await store.DeleteAsync([attachment.StorageKey], equipment.Db, async token =>
        {
            equipment.Db.Attachments.Remove(attachment);
            context.StageAudit(equipment.Db, AttachmentChange(context, id, "detach", attachment));
            await equipment.Db.SaveChangesAsync(token);
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    private static AuditEvent AttachmentChange(HttpContext context, Guid equipmentId, string action, EquipmentAttachment attachment)
        => DomainAudit.Modification(context, "equipment", equipmentId, action, null,
            new Dictionary<string, object?> { ["attachment"] = attachment.Id.ToString(), ["fileName"] = attachment.FileName, ["sha256"] = attachment.Sha256 });

    /// <summary>
    /// Saves the pending changes to <paramref name="db"/> together with the removal of every attachment of the equipment
    /// <paramref name="equipmentId"/>, rows and stored files: a deleted record is never shown again, so neither are its files.
    /// </summary>
    internal static async Task SaveRemovingAttachmentsAsync(DomainDbContext db, UploadStore store, Guid equipmentId, CancellationToken cancellationToken)
    {
        var attachments = await db.Attachments.Where(a => a.EquipmentId == equipmentId).ToListAsync(cancellationToken);
        await store.DeleteAsync(attachments.ConvertAll(a => a.StorageKey), db, async token =>
        {
            db.Attachments.RemoveRange(attachments);
            await db.SaveChangesAsync(token);
        }, cancellationToken);
    }

    /// <summary>All or nothing: every line is validated first, and rows are written only when none failed.</summary>
    private static async Task<IResult> ImportAsync(HttpContext context, AccessPolicy access, EquipmentService equipment, IOptions<CsvOptions> csv, CancellationToken cancellationToken)
    {
        if (!string.Equals(context.Request.ContentType?.Split(';')[0].Trim(), "text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return BastionProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, "Send the CSV as the body with Content-Type: text/csv.");
        }

        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        var importer = new CsvImporter<EquipmentRequest>(ImportColumns, MapRow, csv.Value);
        var result = await importer.ImportAsync(context.Request.Body, cancellationToken);
        if (!result.Succeeded)
        {
            return BastionProblems.Problem(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "The file has errors; nothing was imported.",
                new Dictionary<string, object?> { ["lines"] = result.Errors, ["truncated"] = result.ErrorsTruncated });
        }

        foreach (var row in result.Rows)
        {
            equipment.New(subject, row);
        }

        context.StageAudit(equipment.Db, context.AuditEvent(AuditEventTypes.DataModification) with
        {
            EntityType = "equipment",
            Action = "import",
            Details = new System.Text.Json.Nodes.JsonObject { ["rows"] = result.Rows.Count },
        });
        await equipment.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new ImportSummary(result.Rows.Count));
    }

    private static EquipmentRequest? MapRow(int line, IReadOnlyDictionary<string, string> fields, FieldErrors errors)
    {
        decimal? cost = decimal.TryParse(fields.GetValueOrDefault("cost"), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        var request = new EquipmentRequest(fields.GetValueOrDefault("name"), fields.GetValueOrDefault("serialNumber"), cost,
            NullIfEmpty(fields.GetValueOrDefault("description")), NullIfEmpty(fields.GetValueOrDefault("notes")));
        var rowErrors = EquipmentInput.Validate(request, out var clean);
        foreach (var (field, messages) in rowErrors.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }

        return rowErrors.IsEmpty ? clean : null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>What the caller may read, streamed; cells that a spreadsheet would run as formulas are neutralised.</summary>
    private static async Task ExportAsync(HttpContext context, AccessPolicy access, EquipmentService equipment, CsvExporter exporter, CancellationToken cancellationToken)
    {
        var subject = (await access.SubjectAsync(context.User, cancellationToken))!;
        await context.AuditAsync(DomainAudit.Access(context, "equipment", null, "export"));
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=\"equipment.csv\"";
        var rows = equipment.Readable(subject).OrderBy(e => e.CreatedAt).AsAsyncEnumerable().Select(equipment.View);
        await exporter.WriteAsync(context.Response.Body, ExportColumns, rows, cancellationToken);
    }
}

internal sealed record ImportSummary(int Imported);

internal sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size, string Sha256, Guid UploadedBy, DateTimeOffset CreatedAt)
{
    public static AttachmentView From(EquipmentAttachment attachment)
        => new(attachment.Id, attachment.FileName, attachment.ContentType, attachment.Size, attachment.Sha256, attachment.UploadedBy, attachment.CreatedAt);
}
