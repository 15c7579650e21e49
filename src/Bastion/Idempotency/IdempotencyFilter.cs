using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bastion.Protection;
using Bastion.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bastion.Idempotency;

/// <summary>
/// Makes a create safe to retry (draft-ietf-httpapi-idempotency-key-header). With an <c>Idempotency-Key</c> header the
/// handler runs inside one transaction of <typeparamref name="TContext"/> that also records the key and, on success,
/// the answer; a retry with the same key and the same request gets that answer again (with
/// <c>Idempotent-Replayed: true</c>) and changes nothing. So a client that saw an error or no answer at all can repeat
/// the request without creating a second record: either the first attempt committed, answer included, or nothing of it
/// did. The same key with another request is refused (422), a key still in use by a request in progress waits for it.
/// Keys are per caller; requests without the header are not affected.
/// </summary>
internal sealed class IdempotencyFilter<TContext, TRequest>(TimeProvider time, IOptions<JsonOptions> json) : IEndpointFilter
    where TContext : DbContext
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var header = http.Request.Headers[IdempotencyKeyHeader.Name];
        if (header.Count > 1 || !IdempotencyKeyHeader.TryRead(header.Count == 0 ? null : header[0], out var key))
        {
            return BastionProblems.Problem(StatusCodes.Status400BadRequest, ErrorCodes.IdempotencyKeyInvalid,
                $"{IdempotencyKeyHeader.Name} must be one value of 1 to {IdempotencyKeyHeader.MaxLength} visible ASCII characters.");
        }

        if (key is null || http.User.UserId() is not { } userId)
        {
            return await next(context);
        }

        var db = http.RequestServices.GetRequiredService<TContext>();
        var requestHash = Fingerprint(http, context.Arguments.OfType<TRequest>().FirstOrDefault());
        await using var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted);
        if (!await IdempotencyStore.ClaimAsync(db, userId, key, requestHash, time.GetUtcNow(), Lifetime, http.RequestAborted))
        {
            // Taken by an earlier request that has committed: its answer, or a refusal when the request differs.
            var stored = await IdempotencyStore.FindAsync(db, userId, key, http.RequestAborted);
            return stored is null
                ? BastionProblems.Problem(StatusCodes.Status409Conflict, ErrorCodes.IdempotencyKeyInUse, "A request with this Idempotency-Key is still in progress; retry in a moment.")
                : Replay(stored, requestHash);
        }

        var result = await next(context);
        if (result is not IResult handlerResult)
        {
            await transaction.CommitAsync(http.RequestAborted);
            return result;
        }

        // The answer is rendered into memory first, so that it can be stored in the same transaction as the change.
        var response = http.Response;
        var body = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await handlerResult.ExecuteAsync(http);
        }
        finally
        {
            response.Body = body;
        }

        if (response.StatusCode is >= 200 and < 300)
        {
            var answer = new StoredResponse(requestHash, response.StatusCode, response.Headers.Location.FirstOrDefault(), response.ContentType, buffer.ToArray());
            await IdempotencyStore.CompleteAsync(db, userId, key, answer, http.RequestAborted);
            await transaction.CommitAsync(http.RequestAborted);
        }

        // Anything else changed nothing worth keeping: the transaction rolls back and the key is free for a retry.
        buffer.Position = 0;
        await buffer.CopyToAsync(body, http.RequestAborted);
        return Results.Empty;
    }

    private static IResult Replay(StoredResponse stored, string requestHash)
    {
        if (!string.Equals(stored.RequestHash, requestHash, StringComparison.Ordinal))
        {
            return BastionProblems.Problem(StatusCodes.Status422UnprocessableEntity, ErrorCodes.IdempotencyKeyReused,
                "This Idempotency-Key was already used for a different request; use a new key for a new request.");
        }

        return new ReplayedResult(stored);
    }

    // The method, the path and the request as the handler received it (after binding): a retry must repeat all three.
    private string Fingerprint(HttpContext http, TRequest? request)
    {
        var text = http.Request.Method + " " + http.Request.Path + http.Request.QueryString + "\n"
            + JsonSerializer.Serialize(request, json.Value.SerializerOptions);
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private sealed class ReplayedResult(StoredResponse stored) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = stored.Status;
            response.Headers[IdempotencyKeyHeader.ReplayedName] = "true";
            if (stored.Location is not null)
            {
                response.Headers.Location = stored.Location;
            }

            if (stored.ContentType is not null)
            {
                response.ContentType = stored.ContentType;
            }

            if (stored.Body is { Length: > 0 } bytes)
            {
                await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
            }
        }
    }
}
