namespace Bastion.Server.Domain;

/// <summary>A page of results; <see cref="HasMore"/> instead of a total, so a page costs the same however large the table.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, bool HasMore);
