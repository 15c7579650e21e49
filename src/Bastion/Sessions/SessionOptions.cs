using Microsoft.AspNetCore.Http;

namespace Bastion.Sessions;

/// <summary>Server-side session settings (<c>Bastion:Sessions</c>). Defaults follow OWASP's Session Management Cheat Sheet.</summary>
public sealed class SessionOptions
{
    /// <summary>A session unused for this long ends (OWASP: 15–30 minutes for ordinary applications).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in however active it is.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Last activity is written at most this often, so a busy session does not cost a store write per request.
    /// The idle timeout is therefore honoured to within this interval.
    /// </summary>
    public TimeSpan ActivityUpdateInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>End the session when a request comes from another IP address than the sign-in.</summary>
    public bool BindToIpAddress { get; set; }

    /// <summary>End the session when a request carries another User-Agent than the sign-in.</summary>
    public bool BindToUserAgent { get; set; }

    /// <summary>Lax (default) or Strict; None is refused because it would send the cookie on cross-site requests.</summary>
    public SameSiteMode SameSite { get; set; } = SameSiteMode.Lax;

    /// <summary>The cookie name; over HTTPS it gets the <c>__Host-</c> prefix (RFC 6265bis §4.1.3.2).</summary>
    public string CookieName { get; set; } = "bastion";

    /// <summary>
    /// Mark cookies Secure whatever the request scheme. Unset means: always in production, as the request in
    /// development. Production refuses to start with <c>false</c>.
    /// </summary>
    public bool? SecureCookies { get; set; }

    /// <summary>The most sessions listed or kept per user; the oldest beyond it are ended at sign-in.</summary>
    public int MaxSessionsPerUser { get; set; } = 50;
}
