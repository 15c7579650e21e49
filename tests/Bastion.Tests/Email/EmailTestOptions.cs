using Bastion.Email;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Email;

internal static class EmailTestOptions
{
    public const string From = "no-reply@bastion.test";

    public static EmailOptions Create(Action<EmailOptions>? configure = null)
    {
        var options = new EmailOptions { From = From, PublicBaseUrl = new Uri("https://bastion.example.com"), RetryDelay = TimeSpan.FromMilliseconds(10) };
        options.Smtp.Timeout = TimeSpan.FromSeconds(10);
        configure?.Invoke(options);
        return options;
    }

    /// <summary>SMTP to a plain (no STARTTLS) server on loopback, as the catchers are.</summary>
    public static IOptions<EmailOptions> PlainSmtp(string host, int port, Action<EmailOptions>? configure = null)
        => Options.Create(Create(o =>
        {
            o.Smtp.Host = host;
            o.Smtp.Port = port;
            o.Smtp.UseStartTls = false;
            configure?.Invoke(o);
        }));

    /// <summary>A recipient no other test uses, so tests sharing a catcher keep apart.</summary>
    public static string UniqueRecipient(string name = "user") => $"{name}.{Guid.NewGuid():N}@example.com";
}
