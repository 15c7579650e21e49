using Microsoft.AspNetCore.Http;

namespace Bastion.Sessions;

/// <summary>The client facts a session may be bound to.</summary>
public readonly record struct SessionClient(string? IpAddress, string? UserAgent)
{
    // Long User-Agent strings are cut: they are shown to the user and compared, never parsed.
    private const int MaxUserAgentLength = 256;

    public static SessionClient From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new SessionClient(
            context.Connection.RemoteIpAddress?.ToString(),
            userAgent.Length > MaxUserAgentLength ? userAgent[..MaxUserAgentLength] : userAgent);
    }
}
