using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bastion.Logging;

/// <summary>
/// Every response names its request (<c>X-Request-Id</c>, the same id problem bodies carry as <c>requestId</c>),
/// and every log line written while handling it carries it in a scope, so a report from a user leads straight
/// to the log lines and the audit entries of that request.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.TraceIdentifier;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["X-Request-Id"] = requestId;
            return Task.CompletedTask;
        });

        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
        {
            await next(context);
        }
    }
}
