using Bastion.Hosting;
using Bastion.Sessions;
using Bastion.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;

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

internal sealed class RecentAuthenticationHandler(RecentAuthentication recent, BastionDbContext db) : AuthorizationHandler<RecentAuthenticationRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RecentAuthenticationRequirement requirement)
    {
        if (context.User.UserId() is not { } userId || context.User.SignInId() is not { } sessionId)
        {
            return;
        }

        // Whether a second factor is needed is the account's state now, read from the database rather than a cache
        // that may lag by a moment: a factor added on another device counts at once. Only sensitive endpoints pay.
        // Not calling Fail leaves the requirement among the failed ones, which is how the result handler tells a
        // missing step-up from a missing permission.
        var account = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.Status == UserStatus.Active)
            .Select(u => new { HasSecondFactor = u.TotpSecret != null || u.EmailMfaEnabled })
            .FirstOrDefaultAsync();
        if (account is not null && await recent.IsRecentAsync(userId, sessionId, account.HasSecondFactor))
        {
            context.Succeed(requirement);
        }
    }
}
