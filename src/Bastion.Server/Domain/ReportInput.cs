using System.Text.RegularExpressions;
using Bastion.Validation;

namespace Bastion.Server.Domain;

/// <summary>The fields a client may send for a report (seed 000 ReportCreationSchema).</summary>
public sealed record ReportRequest(string? DocumentTitle, string? DocumentReference, string? ProjectReference, string? ClientName);

/// <summary>
/// ReportCreationSchema's rules. References are codes people type and search for: upper-case letters, digits and
/// separators (<c>DOC-2024-0042</c>, <c>PRJ-17</c>); titles and client names are free text without markup.
/// </summary>
internal static partial class ReportInput
{
    public static FieldErrors Validate(ReportRequest request, out ReportRequest clean)
    {
        var errors = new FieldErrors();
        var title = request.DocumentTitle?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 200 || !FreeText().IsMatch(title))
        {
            errors.Add("documentTitle", "Document title is required: 1–200 characters without < > or control characters.");
        }

        var document = request.DocumentReference?.Trim();
        if (string.IsNullOrEmpty(document) || !DocumentReference().IsMatch(document))
        {
            errors.Add("documentReference", "Document reference is required: 3–50 upper-case letters or digits, separated by '-', '/' or '.' (DOC-2024-0042).");
        }

        var project = request.ProjectReference?.Trim();
        if (string.IsNullOrEmpty(project) || !ProjectReference().IsMatch(project))
        {
            errors.Add("projectReference", "Project reference is required: a prefix of 2–10 upper-case letters, '-', and 1–10 digits (PRJ-17).");
        }

        var client = request.ClientName?.Trim();
        if (string.IsNullOrEmpty(client) || client.Length > 100 || !ClientName().IsMatch(client))
        {
            errors.Add("clientName", "Client name is required: 2–100 letters, digits, spaces and . , & ' ( ) -.");
        }

        clean = new ReportRequest(title, document, project, client);
        return errors;
    }

    [GeneratedRegex(@"^[^<>\p{Cc}\p{Cf}]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex FreeText();

    [GeneratedRegex(@"^(?=.{3,50}$)[A-Z0-9]+(?:[-/.][A-Z0-9]+)*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DocumentReference();

    [GeneratedRegex(@"^[A-Z]{2,10}-[0-9]{1,10}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"^[\p{L}\p{Nd}][\p{L}\p{Nd} .,&'()-]{1,99}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ClientName();
}
