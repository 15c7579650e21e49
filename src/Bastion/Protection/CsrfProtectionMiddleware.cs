using Bastion.Audit;
using Bastion.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Protection;

/// <summary>
/// Cross-site request forgery defence for every unsafe request, in two layers (OWASP CSRF Prevention Cheat Sheet):
/// <list type="number">
/// <item>Fetch metadata and Origin: a browser request that says it comes from another site, or names an Origin
/// that is neither this host nor an allowed CORS origin, is refused before anything else runs.</item>
/// <item>Synchronizer tokens: a request authenticated by the session cookie must carry the framework's
/// antiforgery token (form field or the <c>X-CSRF-TOKEN</c> header), bound to that very session.</item>
/// </list>
/// Requests that carry a bearer token and no session cookie are exempt from the token check: a browser never
/// attaches an Authorization header by itself, so a forged cross-site request cannot carry one.
/// </summary>
internal sealed partial class CsrfProtectionMiddleware(
    RequestDelegate next,
    IAntiforgery antiforgery,
    SessionCookie sessionCookie,
    IOptions<CorsSettings> cors,
    ILogger<CsrfProtectionMiddleware> logger)
{
    private readonly HashSet<string> _allowedOrigins = new(cors.Value.AllowedOrigins, StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method))
        {
            await next(context);
            return;
        }

        if (!IsSameOriginOrAllowed(context))
        {
            Log.CrossOriginRefused(logger, context.Request.Method, context.Request.Path);
            await AuditViolationAsync(context, "cross_origin");
            await BastionProblems.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.CsrfFailed,
                "Cross-site requests are not accepted.");
            return;
        }

        // Whatever scheme the endpoint asks for, a request whose session cookie is valid is a cookie-authenticated
        // request and needs the token. Only a bearer request is exempt: a forged cross-site request cannot carry one.
        if (!IsBearerRequest(context) && sessionCookie.Read(context) is not null
            && (await context.AuthenticateAsync(SessionDefaults.AuthenticationScheme)).Succeeded)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                Log.TokenRefused(logger, context.Request.Method, context.Request.Path);
                await AuditViolationAsync(context, "csrf_token");
                await BastionProblems.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.CsrfFailed,
                    "The CSRF token is missing or invalid. Fetch one from GET /api/auth/csrf and send it in the X-CSRF-TOKEN header.");
                return;
            }
        }

        await next(context);
    }

    private static Task AuditViolationAsync(HttpContext context, string check)
        => context.AuditAsync(context.AuditEvent(AuditEventTypes.SecurityViolation, AuditOutcome.Denied, AuditSeverity.Warning) with
        {
            Action = AuditEventTypes.CsrfFailed,
            Details = new System.Text.Json.Nodes.JsonObject { ["check"] = check, ["origin"] = context.Request.Headers.Origin.ToString() },
        });

    private static bool IsBearerRequest(HttpContext context)
        => context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private bool IsSameOriginOrAllowed(HttpContext context)
    {
        var request = context.Request;
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();

        if (origin.Length > 0 && !string.Equals(origin, "null", StringComparison.Ordinal))
        {
            var own = $"{request.Scheme}://{request.Host}";
            return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) || _allowedOrigins.Contains(origin);
        }

        // An opaque ("null") origin comes from sandboxed frames, data: URLs and the like: never trusted.
        if (string.Equals(origin, "null", StringComparison.Ordinal))
        {
            return false;
        }

        // No Origin: a non-browser client or an old browser. Fetch metadata, when present, still tells cross-site.
        return !string.Equals(fetchSite, "cross-site", StringComparison.OrdinalIgnoreCase);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused a cross-origin {Method} {Path}", EventName = "CsrfCrossOriginRefused")]
        public static partial void CrossOriginRefused(ILogger logger, string method, PathString path);

        [LoggerMessage(2, LogLevel.Warning, "Refused a {Method} {Path} without a valid CSRF token", EventName = "CsrfTokenRefused")]
        public static partial void TokenRefused(ILogger logger, string method, PathString path);
    }
}
