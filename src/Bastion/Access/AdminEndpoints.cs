using System.ComponentModel.DataAnnotations;
using Bastion.Audit;
using Bastion.Mfa;
using Bastion.Protection;
using Bastion.Storage;
using Bastion.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bastion.Access;

/// <summary>User administration (<c>/api/admin/users</c>).</summary>
internal static class AdminEndpoints
{
    public static RouteGroupBuilder MapUserAdministrationApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/users").WithTags("Administration");
        group.MapGet("/", ListAsync).RequirePermission("users", "read");
        group.MapPatch("/{id:guid}", UpdateAsync).RequirePermission("users", "update").RequireRecentAuthentication();
        group.MapPost("/{id:guid}/approve", ApproveAsync).RequirePermission("users", "approve").RequireRecentAuthentication();
        group.MapPut("/{id:guid}/roles", SetRolesAsync).RequirePermission("users", "roles").RequireRecentAuthentication();
        group.MapPost("/{id:guid}/disable", DisableAsync).RequirePermission("users", "disable").RequireRecentAuthentication();
        group.MapPost("/{id:guid}/enable", EnableAsync).RequirePermission("users", "disable").RequireRecentAuthentication();
        group.MapPost("/{id:guid}/erase", EraseAsync).RequirePermission("users", "erase").RequireRecentAuthentication();
        return group;
    }

    private static async Task<Results<Ok<UserPage>, ValidationProblem>> ListAsync(
        string? q,
        string? status,
        [Range(1, Paging.MaxPage)] int? page,
        [Range(1, UserAdministration.MaxPageSize)] int? pageSize,
        UserAdministration admin,
        CancellationToken cancellationToken)
    {
        var number = page ?? 1;
        var size = pageSize ?? 20;
        var errors = new FieldErrors();
        if (q is { Length: > 100 })
        {
            errors.Add("q", "Search text must be at most 100 characters.");
        }

        if (!errors.IsEmpty)
        {
            return BastionProblems.Validation(errors.ToDictionary());
        }

        var (users, total) = await admin.SearchAsync(q, status, number, size, cancellationToken);
        return TypedResults.Ok(new UserPage(users.Select(AdminUser.From).ToList(), number, size, total));
    }

    private static Task<IResult> UpdateAsync(Guid id, UpdateUserRequest request, HttpContext context, AccessPolicy policy, UserAdministration admin, CancellationToken cancellationToken)
        => AsActorAsync(context, policy, AuditEventTypes.DataModification, (actor, audited) => admin.UpdateAsync(actor, id, request.FullName, request.Department, audited, cancellationToken));

    private static Task<IResult> ApproveAsync(Guid id, HttpContext context, AccessPolicy policy, UserAdministration admin, CancellationToken cancellationToken)
        => AsActorAsync(context, policy, AuditEventTypes.UserApproved, (actor, audited) => admin.ApproveAsync(actor, id, audited, cancellationToken));

    private static Task<IResult> SetRolesAsync(Guid id, SetRolesRequest request, HttpContext context, AccessPolicy policy, UserAdministration admin, CancellationToken cancellationToken)
        => AsActorAsync(context, policy, AuditEventTypes.RoleChanged, (actor, audited) => admin.SetRolesAsync(actor, id, request.Roles, audited, cancellationToken));

    private static Task<IResult> DisableAsync(Guid id, HttpContext context, AccessPolicy policy, UserAdministration admin, CancellationToken cancellationToken)
        => AsActorAsync(context, policy, AuditEventTypes.UserDisabled, (actor, audited) => admin.SetDisabledAsync(actor, id, disabled: true, audited, cancellationToken));

    private static Task<IResult> EnableAsync(Guid id, HttpContext context, AccessPolicy policy, UserAdministration admin, CancellationToken cancellationToken)
        => AsActorAsync(context, policy, AuditEventTypes.UserEnabled, (actor, audited) => admin.SetDisabledAsync(actor, id, disabled: false, audited, cancellationToken));

    // Erasure (GDPR art. 17) cannot be undone: a recent step-up, a dedicated permission, and only lower-ranked accounts.
    private static Task<IResult> EraseAsync(Guid id, HttpContext context, AccessPolicy policy, Accounts.AccountDeletion deletion, CancellationToken cancellationToken)
        => AsActorAsync(context, policy, AuditEventTypes.AccountErased, (actor, audited) => deletion.EraseByAdministratorAsync(context, actor, id, audited, cancellationToken));

    /// <summary>
    /// Runs an administrative change as the caller and audits it: a change commits with its entry (the account's before
    /// and after); a refusal, which changes nothing, is recorded on its own.
    /// </summary>
    private static async Task<IResult> AsActorAsync(HttpContext context, AccessPolicy policy, string auditType, Func<AccessSubject, AuditEvent, Task<AdminResult>> action)
    {
        var actor = await policy.SubjectAsync(context.User, context.RequestAborted);
        if (actor is null)
        {
            return BastionProblems.Problem(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Authentication is required.");
        }

        var audited = context.AuditEvent(auditType, AuditOutcome.Success, AuditSeverity.Warning) with
        {
            EntityType = "user",
            EntityId = context.Request.RouteValues["id"]?.ToString(),
        };
        var result = await action(actor, audited);
        if (result.Status != 200)
        {
            await context.AuditAsync(audited with { Outcome = AuditOutcome.Denied });
        }

        return result.Status switch
        {
            200 => TypedResults.Ok(AdminUser.From(result.User!)),
            400 => BastionProblems.Validation(result.Errors!.ToDictionary()),
            403 => BastionProblems.Problem(StatusCodes.Status403Forbidden, result.Code ?? ErrorCodes.Forbidden, result.Detail!),
            404 => BastionProblems.Problem(StatusCodes.Status404NotFound, ErrorCodes.NotFound, result.Detail!),
            _ => BastionProblems.Problem(StatusCodes.Status409Conflict, ErrorCodes.Conflict, result.Detail!),
        };
    }
}

internal sealed record UpdateUserRequest(string? FullName, string? Department);

internal sealed record SetRolesRequest(IReadOnlyList<string>? Roles);

internal sealed record UserPage(IReadOnlyList<AdminUser> Items, int Page, int PageSize, int Total);

internal sealed record AdminUser(
    Guid Id, string Email, string FullName, string Status, string? Department, IReadOnlyList<string> Roles,
    string? RequestedRole, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt)
{
    public static AdminUser From(User user) => new(user.Id, user.Email, user.FullName, user.Status, user.Department,
        user.Roles.Select(r => r.RoleName).ToList(), user.RequestedRole, user.CreatedAt, user.LastLoginAt);
}
