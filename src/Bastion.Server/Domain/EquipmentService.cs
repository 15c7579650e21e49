using System.Globalization;
using System.Text;
using Bastion.Access;
using Bastion.Encryption;
using Bastion.Validation;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Server.Domain;

/// <summary>Equipment records with their sensitive fields encrypted on the way in and decrypted on the way out.</summary>
internal sealed class EquipmentService(DomainDbContext db, FieldCipher cipher, BlindIndex index, AccessPolicy access, TimeProvider time)
{
    public const string Resource = "equipment";
    public const int MaxPageSize = 100;
    private const string SerialPurpose = "equipment.serialNumber";

    public DomainDbContext Db => db;

    public IQueryable<Equipment> Readable(AccessSubject subject) => db.Equipment.AsNoTracking().Allowed(access, subject, Resource, "read");

    /// <summary>
    /// A page of what the caller may read, newest first. <paramref name="serialNumber"/> matches exactly through the
    /// blind index; <paramref name="text"/> searches name and description as a parameter, with LIKE wildcards escaped.
    /// </summary>
    public async Task<(IReadOnlyList<EquipmentView> Items, bool HasMore)> SearchAsync(
        AccessSubject subject, string? text, string? serialNumber, int page, int pageSize, CancellationToken cancellationToken)
    {
        var rows = await SearchQuery(subject, text, serialNumber).OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Skip(Paging.Offset(page, pageSize)).Take(pageSize + 1).ToListAsync(cancellationToken);
        return (rows.Take(pageSize).Select(View).ToList(), rows.Count > pageSize);
    }

    /// <summary>What <see cref="SearchAsync"/> selects, before ordering and paging.</summary>
    internal IQueryable<Equipment> SearchQuery(AccessSubject subject, string? text, string? serialNumber)
    {
        var query = Readable(subject);
        if (!string.IsNullOrWhiteSpace(serialNumber))
        {
            // Under every configured index key, so that rows not yet re-indexed after a rotation are still found.
            var serialIndexes = index.Candidates(serialNumber.Trim(), SerialPurpose);
            query = query.Where(e => serialIndexes.Contains(e.SerialIndex));
        }

        return string.IsNullOrWhiteSpace(text) ? query : ContainingText(query, subject, text.Trim());
    }

    // Name or description contains the text, whatever the case: always a parameter, with LIKE wildcards escaped.
    // The SQL differs by database only so that each can use its indexes (docs/BENCHMARKS.md, goal 6).
    private IQueryable<Equipment> ContainingText(IQueryable<Equipment> query, AccessSubject subject, string text)
    {
        var pattern = LikePattern.Contains(text);
        if (db.Database.IsSqlite() && Ascii.IsValid(text))
        {
            // SQLite's LIKE ignores the case of ASCII letters by itself; lower() (Unicode-aware there, see
            // SqliteUnicodeCase) costs a call into .NET per row and is needed only for other letters. The text as
            // typed decides: a sign such as K (Kelvin) lowers to ASCII but must still meet lower() on the records.
            return query.Where(e => EF.Functions.Like(e.Name, pattern, LikePattern.EscapeCharacter) || EF.Functions.Like(e.Description!, pattern, LikePattern.EscapeCharacter));
        }

        if (!db.Database.IsSqlite() && access.DepartmentScope(subject, Resource, "read") is { } department
            && EquipmentSearchTokens.For(department, text) is { Length: > 0 } tokens)
        {
            // A caller limited to one department: PostgreSQL reads that department's entries of the token index
            // only. ILIKE on the columns themselves, so that the planner does not combine it with the trigram indexes
            // on lower(…), whose matches are approximate: checking those again would compute every candidate's tokens.
            return query.Where(e => EquipmentSearchTokens.Match(e.Department, e.Name, e.Description, tokens)
                && (EF.Functions.ILike(e.Name, pattern, LikePattern.EscapeCharacter) || EF.Functions.ILike(e.Description!, pattern, LikePattern.EscapeCharacter)));
        }

#pragma warning disable CA1304, CA1311 // Translated to SQL lower(); never runs as .NET code.
        return query.Where(e => EF.Functions.Like(e.Name.ToLower(), pattern, LikePattern.EscapeCharacter) || EF.Functions.Like(e.Description!.ToLower(), pattern, LikePattern.EscapeCharacter));
#pragma warning restore CA1304, CA1311
    }

    public async Task<EquipmentView?> GetAsync(AccessSubject subject, Guid id, CancellationToken cancellationToken)
        => await Readable(subject).Where(DomainRecords.HasId<Equipment>(id)).FirstOrDefaultAsync(cancellationToken) is { } equipment ? View(equipment) : null;

    public Equipment New(AccessSubject subject, EquipmentRequest input)
    {
        var now = time.GetUtcNow();
        var equipment = new Equipment
        {
            Id = Guid.CreateVersion7(now),
            Name = input.Name!,
            SerialNumber = string.Empty,
            SerialIndex = string.Empty,
            Cost = string.Empty,
            OwnerId = subject.UserId,
            Department = subject.Department,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Apply(equipment, input);
        db.Equipment.Add(equipment);
        return equipment;
    }

    public void Apply(Equipment equipment, EquipmentRequest input)
    {
        equipment.Name = input.Name!;
        equipment.SerialNumber = cipher.Encrypt(input.SerialNumber!, Context(equipment, "serialNumber"));
        equipment.SerialIndex = index.Compute(input.SerialNumber!, SerialPurpose);
        equipment.Cost = cipher.Encrypt(input.Cost!.Value.ToString(CultureInfo.InvariantCulture), Context(equipment, "cost"));
        equipment.Description = input.Description;
        equipment.Notes = input.Notes is null ? null : cipher.Encrypt(input.Notes, Context(equipment, "notes"));
        equipment.UpdatedAt = time.GetUtcNow();
    }

    public EquipmentView View(Equipment equipment) => new(
        equipment.Id,
        equipment.Name,
        cipher.Decrypt(equipment.SerialNumber, Context(equipment, "serialNumber")),
        decimal.Parse(cipher.Decrypt(equipment.Cost, Context(equipment, "cost")), NumberStyles.Number, CultureInfo.InvariantCulture),
        equipment.Description,
        equipment.Notes is null ? null : cipher.Decrypt(equipment.Notes, Context(equipment, "notes")),
        equipment.OwnerId,
        equipment.Department,
        equipment.CreatedAt,
        equipment.UpdatedAt);

    // The record id and field are bound into each ciphertext: a value copied to another row or column fails.
    private static string Context(Equipment equipment, string field) => Context(equipment.Id, field);

    private static string Context(Guid id, string field) => $"equipment.{field}:{id:N}";

    /// <summary>The encrypted columns of <c>equipment</c>, declared for key rotation, the key report and the start-up check.</summary>
    public static IEnumerable<EncryptedColumn> EncryptedColumns { get; } =
    [
        new("equipment", "id", "serial_number", id => Context(id, "serialNumber"), new BlindIndexColumn("serial_index", SerialPurpose)),
        new("equipment", "id", "cost", id => Context(id, "cost")),
        new("equipment", "id", "notes", id => Context(id, "notes")),
    ];
}

/// <summary>Equipment as clients see it: decrypted, with owner and department set by the server.</summary>
public sealed record EquipmentView(
    Guid Id, string Name, string SerialNumber, decimal Cost, string? Description, string? Notes,
    Guid OwnerId, string? Department, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
