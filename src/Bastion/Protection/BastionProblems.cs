using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Bastion.Protection;

/// <summary>Builds RFC 9457 problem details with Bastion's stable <c>code</c> extension.</summary>
public static class BastionProblems
{
    /// <summary>Sets <c>Retry-After</c> (RFC 9110 §10.2.3) to <paramref name="wait"/> in whole seconds, at least one.</summary>
    public static void SetRetryAfter(HttpContext context, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A problem result for an endpoint.</summary>
    public static ProblemHttpResult Problem(int status, string code, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, extensions: all);
    }

    /// <summary>A 400 <c>validation_failed</c> problem listing the messages per field.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = ErrorCodes.ValidationFailed };
        return TypedResults.ValidationProblem(errors, detail: "One or more fields are invalid.", extensions: all);
    }

    /// <summary>Writes a problem directly, for middleware and authentication handlers.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string code, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail, Extensions = { ["code"] = code } },
        });
    }

    /// <summary>Whether a request is for the JSON API (problem+json answers) rather than a page (redirects).</summary>
    public static bool IsApiRequest(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/.well-known", StringComparison.OrdinalIgnoreCase);
    }
}
