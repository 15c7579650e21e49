using Bastion.Protection;
using Microsoft.AspNetCore.Http;

namespace Bastion.Abuse;

/// <summary>Refuses every request from a blocked address before any work is done for it.</summary>
internal sealed class IpBlockMiddleware(RequestDelegate next, IpBlockList blocks)
{
    public Task InvokeAsync(HttpContext context)
        => blocks.IsBlocked(context.Connection.RemoteIpAddress)
            ? BastionProblems.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.IpBlocked,
                "Requests from this address are blocked for a while after repeated failed sign-ins.")
            : next(context);
}
