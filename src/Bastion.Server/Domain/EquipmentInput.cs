using System.Globalization;
using System.Text.RegularExpressions;
using Bastion.Validation;

namespace Bastion.Server.Domain;

/// <summary>The fields a client may send for equipment (seed 002 EquipmentCreate); owner and department never.</summary>
public sealed record EquipmentRequest(string? Name, string? SerialNumber, decimal? Cost, string? Description, string? Notes);

/// <summary>Seed 002's EquipmentCreate rules.</summary>
internal static partial class EquipmentInput
{
    public const decimal MaxCost = 1_000_000m;
    private static readonly System.Buffers.SearchValues<char> ForbiddenInName = System.Buffers.SearchValues.Create("<>\"';&");

    public static FieldErrors Validate(EquipmentRequest request, out EquipmentRequest clean)
    {
        var errors = new FieldErrors();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors.Add("name", "Name is required, 1–100 characters.");
        }
        else if (name.AsSpan().IndexOfAny(ForbiddenInName) >= 0 || name.Any(char.IsControl))
        {
            errors.Add("name", "Name may not contain < > \" ' ; & or control characters.");
        }

        var serial = request.SerialNumber?.Trim();
        if (string.IsNullOrEmpty(serial) || serial.Length > 50 || !SerialPattern().IsMatch(serial))
        {
            errors.Add("serialNumber", "Serial number is required: 1–50 upper-case letters, digits and '-'.");
        }

        if (request.Cost is not { } cost || cost <= 0 || cost > MaxCost || decimal.Round(cost, 2) != cost)
        {
            errors.Add("cost", $"Cost is required: more than 0, at most {MaxCost.ToString("N0", CultureInfo.InvariantCulture)}, with at most two decimals.");
        }

        // Markup is removed rather than refused, as the seed does; what remains is plain text, encoded on output.
        var description = request.Description is null ? null : TagPattern().Replace(request.Description, string.Empty).Trim();
        if (description is { Length: > 500 })
        {
            errors.Add("description", "Description must be at most 500 characters.");
        }

        var notes = request.Notes?.Trim();
        if (notes is { Length: > 2000 } || (notes is not null && notes.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
        {
            errors.Add("notes", "Notes must be at most 2,000 characters without control characters.");
        }

        clean = new EquipmentRequest(name, serial, request.Cost, string.IsNullOrEmpty(description) ? null : description, string.IsNullOrEmpty(notes) ? null : notes);
        return errors;
    }

    [GeneratedRegex("^[A-Z0-9-]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex SerialPattern();

    [GeneratedRegex("<[^>]*>?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex TagPattern();
}
