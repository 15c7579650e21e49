using Bastion.Hosting;
using Bastion.Sessions;
using Bastion.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace Bastion.Mfa;

/// <summary>
/// Requires a recent full authentication (<see cref="RecentAuthentication"/>): the password within
/// <see cref="MfaOptions.StepUpMaxAge"/>, and the second factor too when the account has one. A caller who lacks it
/// gets 403 <c>step_up_required</c> and re-authenticates at <c>POST /api/auth/reauthenticate</c>.
/// </summary>
public sealed class RecentAuthenticationRequirement : IAuthorizationRequirement
{
    public static RecentAuthenticationRequirement Instance { get; } = new();
}

/// <summary>The one-line convention: <c>.RequireRecentAuthentication()</c> on an endpoint or a route group.</summary>
public static class StepUpEndpointConventions
{
    public static TBuilder RequireRecentAuthentication<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(BastionAuthentication.Scheme)
            .RequireAuthenticatedUser()
            .AddRequirements(RecentAuthenticationRequirement.Instance));
}

internal sealed class RecentAuthenticationHandler(RecentAuthentication recent, AccessSubjectStore subjects) : AuthorizationHandler<RecentAuthenticationRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RecentAuthenticationRequirement requirement)
    {
        if (context.User.UserId() is not { } userId || AuthenticationMethods.SessionIdOf(context.User) is not { } sessionId)
        {
            return;
        }

        // Whether a second factor is needed is the account's state now, not at sign-in: a factor added since counts.
        // Not calling Fail leaves the requirement among the failed ones, which is how the result handler tells a
        // missing step-up from a missing permission.
        var subject = await subjects.GetAsync(userId);
        if (subject is { IsActive: true } && await recent.IsRecentAsync(userId, sessionId, subject.HasSecondFactor))
        {
            context.Succeed(requirement);
        }
    }
}
