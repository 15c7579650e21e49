using Bastion.Mfa;
using Bastion.Protection;
using Bastion.Storage;
using Bastion.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Access;

/// <summary>The editable role and permission matrix (<c>/api/admin/roles</c>, <c>/api/admin/permissions</c>).</summary>
internal static class RoleEndpoints
{
    public static IEndpointRouteBuilder MapRoleAdministrationApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin").WithTags("Administration").RequirePermission("roles", "manage");
        group.MapGet("/roles", ListRolesAsync);
        group.MapPut("/roles/{name}/permissions", SetPermissionsAsync).RequireRecentAuthentication();
        group.MapGet("/permissions", ListPermissionsAsync);
        group.MapPost("/permissions", AddPermissionAsync).RequireRecentAuthentication();
        return endpoints;
    }

    private static async Task<Ok<List<RoleView>>> ListRolesAsync(BastionDbContext db, CancellationToken cancellationToken)
    {
        var links = await db.RolePermissions.AsNoTracking().ToListAsync(cancellationToken);
        var roles = await db.Roles.AsNoTracking().OrderByDescending(r => r.Rank).ToListAsync(cancellationToken);
        return TypedResults.Ok(roles.Select(r => new RoleView(r.Name, r.Rank, r.Description,
            links.Where(l => l.RoleName == r.Name).Select(l => l.PermissionId).Order(StringComparer.Ordinal).ToList())).ToList());
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetPermissionsAsync(
        string name, SetPermissionsRequest request, BastionDbContext db, AccessSubjectStore subjects, CancellationToken cancellationToken)
    {
        if (!await db.Roles.AnyAsync(r => r.Name == name, cancellationToken))
        {
            return BastionProblems.Problem(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No such role.");
        }

        var wanted = (request.Permissions ?? []).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Permissions.Where(p => wanted.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken);
        var unknown = wanted.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return BastionProblems.Validation(new FieldErrors().Add("permissions", $"Unknown permissions: {string.Join(", ", unknown)}.").ToDictionary());
        }

        db.RolePermissions.RemoveRange(db.RolePermissions.Where(l => l.RoleName == name));
        db.RolePermissions.AddRange(wanted.Select(id => new RolePermission { RoleName = name, PermissionId = id }));
        await db.SaveChangesAsync(cancellationToken);
        await subjects.InvalidateAsync(null, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<Permission>>> ListPermissionsAsync(BastionDbContext db, CancellationToken cancellationToken)
        => TypedResults.Ok(await db.Permissions.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken));

    private static async Task<Results<Created<Permission>, ValidationProblem, ProblemHttpResult>> AddPermissionAsync(
        AddPermissionRequest request, BastionDbContext db, IEnumerable<IAccessCondition> conditions, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!IsName(request.Resource))
        {
            errors.Add("resource", "Resource must be 1–40 lower-case letters, digits or '_'.");
        }

        if (!IsName(request.Action))
        {
            errors.Add("action", "Action must be 1–40 lower-case letters, digits or '_'.");
        }

        var grant = Grant.From(request.Resource ?? string.Empty, request.Action ?? string.Empty, string.IsNullOrEmpty(request.Condition) ? null : request.Condition);
        if (grant.Condition is not null && !conditions.Any(c => c.Name == grant.Condition))
        {
            errors.Add("condition", $"Unknown condition; registered: {string.Join(", ", conditions.Select(c => c.Name))}.");
        }

        if (string.IsNullOrWhiteSpace(request.Description) || request.Description.Length > 200)
        {
            errors.Add("description", "Description is required, at most 200 characters.");
        }

        if (!errors.IsEmpty)
        {
            return BastionProblems.Validation(errors.ToDictionary());
        }

        if (await db.Permissions.AnyAsync(p => p.Id == grant.Name, cancellationToken))
        {
            return BastionProblems.Problem(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "This permission exists already.");
        }

        var permission = new Permission { Id = grant.Name, Resource = grant.Resource, Action = grant.Action, Condition = request.Condition, Description = request.Description!.Trim() };
        db.Permissions.Add(permission);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/admin/permissions/{permission.Id}", permission);
    }

    private static bool IsName(string? value)
        => value is { Length: > 0 and <= 40 } && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}

internal sealed record RoleView(string Name, int Rank, string Description, IReadOnlyList<string> Permissions);

internal sealed record SetPermissionsRequest(IReadOnlyList<string>? Permissions);

internal sealed record AddPermissionRequest(string? Resource, string? Action, string? Condition, string? Description);
