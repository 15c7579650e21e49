using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Bastion.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>
/// Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): a successful sign-in leaves the
/// client a cookie naming the account (by <see cref="AccountHandle"/>), a random device id and the time of issue,
/// protected by Data Protection (authenticated encryption, so it can be neither read nor forged). A client that
/// presents one for the account it signs in to is familiar, and is not kept out by the account's lock for
/// strangers; its device id has its own failure limit (<see cref="SignInGuard"/>).
/// </summary>
public sealed class DeviceCookies(IDataProtectionProvider protection, SessionCookie sessions, IOptions<AbuseOptions> options, TimeProvider time)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Bastion.Abuse.DeviceCookie");
    private readonly FamiliarSourceOptions _options = options.Value.Lockout.Familiar;

    /// <summary>The device id of a valid device cookie issued for <paramref name="email"/>'s account, or null.</summary>
    public string? DeviceFor(HttpContext context, string? email)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Cookies[Name(context)] is not { Length: > 0 } value)
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }

        if (payload.Split('|') is not [var account, var device, var issued]
            || !long.TryParse(issued, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return account == AccountHandle.Of(email) && age > TimeSpan.FromMinutes(-5) && age < _options.DeviceCookieLifetime ? device : null;
    }

    /// <summary>Leaves a new device cookie for <paramref name="email"/>'s account, replacing any the client had.</summary>
    public void Issue(HttpContext context, string? email)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var device = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var value = _protector.Protect(string.Join('|', AccountHandle.Of(email), device, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        context.Response.Cookies.Append(Name(context), value, new CookieOptions
        {
            HttpOnly = true,
            Secure = sessions.IsSecure(context),
            // Sent only with the site's own requests; sign-in is always one.
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
            Expires = now + _options.DeviceCookieLifetime,
        });
    }

    private string Name(HttpContext context) => sessions.IsSecure(context) ? "__Host-" + _options.DeviceCookieName : _options.DeviceCookieName;
}
