using Bastion.Validation;

namespace Bastion.Server.Domain;

/// <summary>A page of results; <see cref="HasMore"/> instead of a total, so a page costs the same however large the table.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, bool HasMore);

internal static class Paging
{
    public static FieldErrors Validate(int? page, int? pageSize, int maxPageSize)
    {
        var errors = new FieldErrors();
        if (page is < 1)
        {
            errors.Add("page", "Page starts at 1.");
        }

        if (pageSize is < 1 || pageSize > maxPageSize)
        {
            errors.Add("pageSize", $"Page size must be 1–{maxPageSize}.");
        }

        return errors;
    }
}
