using System.Globalization;
using Microsoft.Extensions.Options;

namespace Bastion.Email;

/// <summary>
/// Builds Bastion's messages, with text and HTML bodies. Links are built from
/// <see cref="EmailOptions.PublicBaseUrl"/>, never from the request, so a forged Host header cannot point a reset
/// link at another site (OWASP Forgot Password Cheat Sheet). Tokens and codes are passed in by the caller, which
/// keeps only their hashes.
/// </summary>
public sealed class EmailTemplates(IOptions<EmailOptions> options)
{
    private const int MaxDeviceLength = 200;

    public EmailMessage PasswordReset(string to, string? name, string token, TimeSpan validFor)
        => EmailTemplateCatalog.PasswordReset.Render(to, name, Values(name, validFor, ("link", Link(Settings.Links.ResetPassword, token))));

    public EmailMessage EmailVerification(string to, string? name, string token, TimeSpan validFor)
        => EmailTemplateCatalog.EmailVerification.Render(to, name, Values(name, validFor, ("link", Link(Settings.Links.VerifyEmail, token))));

    public EmailMessage EmailChange(string to, string? name, string token, TimeSpan validFor)
        => EmailTemplateCatalog.EmailChange.Render(to, name, Values(name, validFor, ("link", Link(Settings.Links.VerifyEmail, token))));

    /// <exception cref="ArgumentException"><paramref name="code"/> is not 6 to 8 digits.</exception>
    public EmailMessage SignInCode(string to, string? name, string code, TimeSpan validFor)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length is < 6 or > 8 || !code.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A sign-in code is 6 to 8 digits.", nameof(code));
        }

        return EmailTemplateCatalog.SignInCode.Render(to, name, Values(name, validFor, ("code", code), ("forgotLink", Link(Settings.Links.ForgotPassword))));
    }

    public EmailMessage SecurityNotice(string to, string? name, SecurityNoticeKind kind, SecurityNoticeDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var (headline, description) = EmailTemplateCatalog.Describe(kind, Settings.ProductName);
        var device = string.IsNullOrWhiteSpace(details.Device) ? "unknown" : details.Device.Trim();
        return EmailTemplateCatalog.SecurityNotice.Render(to, name, Values(name, validFor: null,
            ("headline", headline),
            ("event", string.IsNullOrWhiteSpace(details.Change) ? description : $"{description} {details.Change.Trim()}"),
            ("time", details.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
            ("ip", string.IsNullOrWhiteSpace(details.IpAddress) ? "unknown" : details.IpAddress.Trim()),
            ("device", device.Length > MaxDeviceLength ? device[..MaxDeviceLength] + "…" : device),
            ("forgotLink", Link(Settings.Links.ForgotPassword)),
            ("securityLink", Link(Settings.Links.AccountSecurity))));
    }

    /// <summary>"30 minutes", "1 hour", "2 days": how long a link or code stays valid, rounded up.</summary>
    public static string Duration(TimeSpan span)
    {
        static string Count(double value, string unit)
        {
            var whole = (long)Math.Ceiling(value - 1e-9);
            return string.Create(CultureInfo.InvariantCulture, $"{whole} {unit}{(whole == 1 ? string.Empty : "s")}");
        }

        return span.TotalMinutes < 60 ? Count(Math.Max(span.TotalMinutes, 1), "minute")
            : span.TotalHours < 48 ? Count(span.TotalHours, "hour")
            : Count(span.TotalDays, "day");
    }

    private EmailOptions Settings => options.Value;

    private Dictionary<string, string> Values(string? name, TimeSpan? validFor, params (string Key, string Value)[] values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["product"] = Settings.ProductName,
            ["greeting"] = string.IsNullOrWhiteSpace(name) ? "Hello," : $"Hello {name.Trim()},",
        };
        if (validFor is { } span)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(span, TimeSpan.Zero, nameof(validFor));
            result["validFor"] = Duration(span);
        }

        foreach (var (key, value) in values)
        {
            result[key] = value;
        }

        return result;
    }

    private string Link(string path, string? token = null)
    {
        var baseUrl = Settings.PublicBaseUrl ?? throw new InvalidOperationException("Bastion:Email:PublicBaseUrl is not set.");
        var link = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + path;
        if (token is null)
        {
            return link;
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return link + "?token=" + Uri.EscapeDataString(token);
    }
}
