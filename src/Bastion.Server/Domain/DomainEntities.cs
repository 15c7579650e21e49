using Bastion.Access;

namespace Bastion.Server.Domain;

/// <summary>
/// Equipment (seed 002). Serial number, cost and notes are stored encrypted (<c>v{n}:…</c> values of
/// <see cref="Bastion.Encryption.FieldCipher"/>); <see cref="SerialIndex"/> is the keyed blind index that lets
/// the serial number be searched exactly without decrypting anything.
/// </summary>
public sealed class Equipment : IOwnedResource
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string SerialNumber { get; set; }
    public required string SerialIndex { get; set; }
    public required string Cost { get; set; }
    public string? Description { get; set; }
    public string? Notes { get; set; }
    public Guid OwnerId { get; set; }
    public string? Department { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

/// <summary>A file attached to equipment; its bytes live in the upload store under <see cref="StorageKey"/>.</summary>
public sealed class EquipmentAttachment
{
    public Guid Id { get; set; }
    public Guid EquipmentId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required string StorageKey { get; set; }
    public Guid UploadedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A report (seed 000 ReportCreationSchema).</summary>
public sealed class Report : IOwnedResource
{
    public Guid Id { get; set; }
    public required string DocumentTitle { get; set; }
    public required string DocumentReference { get; set; }
    public required string ProjectReference { get; set; }
    public required string ClientName { get; set; }
    public Guid OwnerId { get; set; }
    public string? Department { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}
