using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Bastion.Protection;

/// <summary>
/// Adds the response headers of OWASP's Secure Headers Project to every response: a Content-Security-Policy
/// with a fresh nonce per request and no 'unsafe-inline' (CSP Level 3), nosniff, framing denied twice
/// (X-Frame-Options for old browsers, frame-ancestors for new), a strict referrer policy and a closed
/// Permissions-Policy. Responses to authenticated or API requests are never stored by caches (RFC 9111 §5.2.2.5).
/// HSTS is added by the framework's HSTS middleware in production.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    public Task InvokeAsync(HttpContext context)
    {
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        context.Features.Set(new CspNonceFeature(nonce));

        // Set when the response starts, not now: an exception handler that clears the response on the way out
        // would otherwise strip every header from error answers. HSTS, set earlier by the framework's
        // middleware, is carried over for the same reason.
        var hsts = context.Response.Headers.StrictTransportSecurity.ToString();
        context.Response.OnStarting(() =>
        {
            Apply(context, nonce, hsts);
            return Task.CompletedTask;
        });

        return next(context);
    }

    private static void Apply(HttpContext context, string nonce, string hsts)
    {
        var headers = context.Response.Headers;

        // An endpoint may add a policy of its own (a download adds sandbox). It is kept beside the default one:
        // a browser enforces every policy it receives (CSP Level 3, "Enforcing multiple policies"), so both apply.
        headers.ContentSecurityPolicy = StringValues.Concat(headers.ContentSecurityPolicy,
            $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; " +
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // A page may ask for a stricter policy (one whose URL carries a token asks for no-referrer).
        if (!headers.ContainsKey("Referrer-Policy"))
        {
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        }

        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        if (hsts.Length > 0)
        {
            headers.StrictTransportSecurity = hsts;
        }

        // Authenticated answers are never stored; anonymous API answers are not either, unless the endpoint
        // chose its own caching (the public key set).
        if (context.User.Identity?.IsAuthenticated == true
            || (BastionProblems.IsApiRequest(context) && !headers.ContainsKey(HeaderNames.CacheControl)))
        {
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
        }
    }
}

/// <summary>The CSP nonce of the current response, for the rare element that must carry one.</summary>
public sealed record CspNonceFeature(string Nonce);
