using Microsoft.AspNetCore.Authorization;

namespace Bastion.Access;

/// <summary>
/// Requires a grant of <c>resource:action</c>. Checked against the endpoint, it asks "may this user ever do
/// this?"; checked with a record (<c>AuthorizeAsync(user, record, requirement)</c>), it also applies the grant's
/// conditions to that record.
/// </summary>
public sealed record PermissionRequirement(string Resource, string Action) : IAuthorizationRequirement;

/// <summary>Requires a role at least as high as <see cref="Role"/> in the hierarchy.</summary>
public sealed record MinimumRoleRequirement(string Role) : IAuthorizationRequirement;

internal sealed class PermissionAuthorizationHandler(AccessPolicy policy) : IAuthorizationHandler
{
    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        var pending = context.PendingRequirements.ToList();
        if (!pending.Any(r => r is PermissionRequirement or MinimumRoleRequirement))
        {
            return;
        }

        var subject = await policy.SubjectAsync(context.User);
        if (subject is null || !subject.IsActive)
        {
            return;
        }

        foreach (var requirement in pending)
        {
            switch (requirement)
            {
                case PermissionRequirement permission when context.Resource is IOwnedResource record:
                    if (policy.Allows(subject, permission.Resource, permission.Action, record))
                    {
                        context.Succeed(requirement);
                    }

                    break;
                case PermissionRequirement permission:
                    if (subject.MayEver(permission.Resource, permission.Action))
                    {
                        context.Succeed(requirement);
                    }

                    break;
                case MinimumRoleRequirement role:
                    if (await policy.RankOfAsync(role.Role) is { } rank && subject.Rank >= rank)
                    {
                        context.Succeed(requirement);
                    }

                    break;
            }
        }
    }
}
