using System.Globalization;
using System.Threading.RateLimiting;
using Bastion.Protection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>Puts <see cref="BastionRateLimiter"/> into the framework's rate-limiting middleware and words its refusals.</summary>
internal sealed class RateLimiterSetup(BastionRateLimiter limiter) : IConfigureOptions<RateLimiterOptions>
{
    public void Configure(RateLimiterOptions options)
    {
        options.GlobalLimiter = limiter;
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = async (context, _) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await BastionProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                "Too many requests; try again after the time in Retry-After.");
        };
    }
}
