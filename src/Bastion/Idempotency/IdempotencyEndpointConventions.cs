using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Idempotency;

/// <summary>Opt-in idempotent retries for an endpoint that creates records.</summary>
public static class IdempotencyEndpointConventions
{
    /// <summary>
    /// Accepts an <c>Idempotency-Key</c> header on this endpoint (see <see cref="IdempotencyFilter{TContext, TRequest}"/>):
    /// the handler's changes through <typeparamref name="TContext"/> and the stored answer commit together, and a retry
    /// with the same key gets that answer instead of running again. <typeparamref name="TRequest"/> is the bound body,
    /// which a retry must repeat.
    /// </summary>
    public static RouteHandlerBuilder WithIdempotency<TContext, TRequest>(this RouteHandlerBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter<RouteHandlerBuilder, IdempotencyFilter<TContext, TRequest>>();
    }
}
