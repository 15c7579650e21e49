using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Sessions;

/// <summary>Writes and reads the session cookie with the flags OWASP asks for: HttpOnly, Secure, SameSite, host-only.</summary>
public sealed class SessionCookie(IOptions<SessionOptions> options, IHostEnvironment environment)
{
    private readonly SessionOptions _options = options.Value;

    /// <summary>Whether cookies on this request are marked Secure (and so may carry the <c>__Host-</c> prefix).</summary>
    public bool IsSecure(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _options.SecureCookies ?? (environment.IsProduction() || context.Request.IsHttps);
    }

    /// <summary>The cookie name for this request: <c>__Host-</c> prefixed whenever it is Secure.</summary>
    public string NameFor(HttpContext context) => IsSecure(context) ? "__Host-" + _options.CookieName : _options.CookieName;

    public string? Read(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Cookies[NameFor(context)];
    }

    public void Write(HttpContext context, string value)
    {
        ArgumentNullException.ThrowIfNull(context);
        // No Expires: a browser-session cookie; the server enforces the idle and absolute limits itself.
        context.Response.Cookies.Append(NameFor(context), value, Options(context));
    }

    public void Delete(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(NameFor(context), Options(context));
    }

    private CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        Secure = IsSecure(context),
        SameSite = _options.SameSite,
        Path = "/",
        IsEssential = true,
    };
}
