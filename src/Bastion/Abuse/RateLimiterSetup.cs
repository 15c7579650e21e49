using System.Threading.RateLimiting;
using Bastion.Audit;
using Bastion.Protection;
using Bastion.Sessions;
using Bastion.State;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>Puts <see cref="BastionRateLimiter"/> into the framework's rate-limiting middleware and words its refusals.</summary>
internal sealed class RateLimiterSetup(BastionRateLimiter limiter, IStateStore store, IOptions<StateOptions> state) : IConfigureOptions<RateLimiterOptions>
{
    public void Configure(RateLimiterOptions options)
    {
        options.GlobalLimiter = limiter;
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = async (context, cancellationToken) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
            BastionProblems.SetRetryAfter(context.HttpContext, retryAfter);

            // One entry per client and minute: a flood must not turn into a flood of durable writes.
            var client = context.HttpContext.User.UserId()?.ToString("N") ?? context.HttpContext.Connection.RemoteIpAddress?.ToString();
            if (await store.SetIfAbsentAsync($"{state.Value.KeyPrefix}rate-audited:{client}", "1"u8.ToArray(), TimeSpan.FromMinutes(1), cancellationToken))
            {
                await context.HttpContext.AuditAsync(context.HttpContext.AuditEvent(AuditEventTypes.RateLimited, AuditOutcome.Denied, AuditSeverity.Warning));
            }

            await BastionProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                "Too many requests; try again after the time in Retry-After.");
        };
    }
}
