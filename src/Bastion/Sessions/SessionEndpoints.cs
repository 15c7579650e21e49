using Bastion.Access;
using Bastion.Hosting;
using Bastion.Protection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Bastion.Sessions;

/// <summary>
/// A user's own sessions (<c>/api/account/sessions</c>): list, end one, end all others; and counts for
/// administrators (<c>/api/admin/sessions/stats</c>).
/// </summary>
internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/account/sessions").WithTags("Sessions").RequireAuthorization(BastionAuthentication.Policy);
        group.MapGet("/", ListAsync).WithName("ListSessions");
        group.MapDelete("/{id}", RevokeAsync).WithName("RevokeSession");
        group.MapPost("/revoke-others", RevokeOthersAsync).WithName("RevokeOtherSessions");

        endpoints.MapGet("/api/admin/sessions/stats", async (SessionStatistics statistics, CancellationToken cancellationToken)
                => TypedResults.Ok(await statistics.ComputeAsync(cancellationToken)))
            .WithName("SessionStatistics").WithTags("Administration").RequireRole(Storage.Roles.Admin);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<SessionResponse>>> ListAsync(HttpContext context, SessionStore sessions, CancellationToken cancellationToken)
    {
        var current = context.Features.Get<SessionFeature>()?.Handle;
        var list = await sessions.ListAsync(context.User.UserId()!.Value, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SessionResponse>>(list
            .Select(s => new SessionResponse(s.Handle, s.Record.CreatedAt, s.Record.LastSeenAt, s.Record.ExpiresAt,
                s.Record.IpAddress, s.Record.UserAgent, s.Record.Amr, string.Equals(s.Handle, current, StringComparison.Ordinal)))
            .ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string id, HttpContext context, SessionStore sessions, SessionCookie cookie, CancellationToken cancellationToken)
    {
        // Scoped to the caller: another user's session id answers 404 exactly like one that never existed.
        if (!await sessions.RevokeAsync(context.User.UserId()!.Value, id, cancellationToken))
        {
            return BastionProblems.Problem(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No such session.");
        }

        if (string.Equals(context.Features.Get<SessionFeature>()?.Handle, id, StringComparison.Ordinal))
        {
            cookie.Delete(context);
        }

        return TypedResults.NoContent();
    }

    /// <summary>Ends every other session and token family of the caller; the caller's own stays.</summary>
    private static async Task<Ok<RevokedResponse>> RevokeOthersAsync(HttpContext context, Tokens.TokenService tokens, CancellationToken cancellationToken)
    {
        var ended = await tokens.RevokeOthersAsync(context.User.UserId()!.Value, "signed_out_elsewhere",
            context.Features.Get<SessionFeature>()?.Handle, context.User.TokenFamilyId(), cancellationToken);
        return TypedResults.Ok(new RevokedResponse(ended));
    }
}

internal sealed record SessionResponse(
    string Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt,
    string? IpAddress, string? UserAgent, IReadOnlyList<string> Amr, bool Current);

internal sealed record RevokedResponse(int Revoked);
