using Bastion.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Bastion.Access;

/// <summary>
/// One line per endpoint or group says who may call it: <c>.RequirePermission("equipment", "update")</c>,
/// <c>.RequireRole("admin")</c> (that role or higher). Both imply a signed-in user (401 without one, 403 without
/// the grant) and compose on route groups.
/// </summary>
public static class AccessEndpointConventions
{
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string resource, string action)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(BastionAuthentication.Scheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new PermissionRequirement(resource, action)));

    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, string role)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(BastionAuthentication.Scheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new MinimumRoleRequirement(role)));
}
