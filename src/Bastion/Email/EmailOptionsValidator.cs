using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Email;

/// <summary>Each failure names the setting to change, so a node that would send mail insecurely refuses to start.</summary>
internal sealed class EmailOptionsValidator(IHostEnvironment environment) : IValidateOptions<EmailOptions>
{
    // RFC 8314 §3.3: port 465 is implicit TLS, which System.Net.Mail cannot speak; it would wait for a greeting until its timeout.
    private const int ImplicitTlsPort = 465;

    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidateSender(options, failures);
        ValidateLinks(options, failures);
        ValidateDelivery(options, failures);
        if (!string.IsNullOrWhiteSpace(options.Smtp.Host))
        {
            ValidateSmtp(options.Smtp, failures);
        }

        if (options.Retries is < 0 or > 10)
        {
            failures.Add("Bastion:Email:Retries must be between 0 and 10.");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.RetryDelay > TimeSpan.FromMinutes(10))
        {
            failures.Add("Bastion:Email:RetryDelay must be positive and at most 10 minutes (it doubles with each retry).");
        }

        ValidateOutbox(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateSender(EmailOptions options, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.From))
        {
            failures.Add("Bastion:Email:From is required: the address mail is sent from, such as no-reply@example.com.");
        }
        else if (!MailAddress.TryCreate(options.From, out var from) || from.DisplayName.Length > 0 || HasLineBreak(options.From))
        {
            failures.Add($"Bastion:Email:From '{options.From}' is not a plain e-mail address (the display name comes from Bastion:Email:ProductName).");
        }

        if (string.IsNullOrWhiteSpace(options.ProductName) || options.ProductName.Length > 64 || HasLineBreak(options.ProductName))
        {
            failures.Add("Bastion:Email:ProductName must be 1 to 64 characters on one line: it appears in the From header and in subjects.");
        }
    }

    private void ValidateLinks(EmailOptions options, List<string> failures)
    {
        var url = options.PublicBaseUrl;
        if (url is null)
        {
            failures.Add("Bastion:Email:PublicBaseUrl is required: the absolute URL users reach the site at, such as https://bastion.example.com. Links in e-mails are built from it, never from a request's Host header.");
        }
        else if (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            failures.Add("Bastion:Email:PublicBaseUrl must be an absolute https:// URL without credentials, query or fragment.");
        }
        else if (url.Scheme == "http" && environment.IsProduction())
        {
            // A reset or verification token in an http link can be read by anyone on the path (ASVS 5.0 V12.1.1).
            failures.Add("Bastion:Email:PublicBaseUrl must use https in production: the links carry one-time tokens.");
        }

        foreach (var (key, path) in new[]
        {
            ("ResetPassword", options.Links.ResetPassword), ("ForgotPassword", options.Links.ForgotPassword),
            ("VerifyEmail", options.Links.VerifyEmail), ("AccountSecurity", options.Links.AccountSecurity),
        })
        {
            if (path is null || !path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
            {
                failures.Add($"Bastion:Email:Links:{key} must be a path starting with a single '/', without query or fragment, such as /reset-password.");
            }
        }
    }

    private void ValidateDelivery(EmailOptions options, List<string> failures)
    {
        var hasHost = !string.IsNullOrWhiteSpace(options.Smtp.Host);
        var hasPickup = !string.IsNullOrWhiteSpace(options.PickupDirectory);
        if (hasHost && hasPickup)
        {
            failures.Add("Bastion:Email: set either Smtp:Host (send by SMTP) or PickupDirectory (write .eml files), not both.");
        }
        else if (!hasHost && !hasPickup)
        {
            failures.Add(environment.IsProduction()
                ? "Bastion:Email:Smtp:Host is required in production, so that mail is not silently written to disk. To write .eml files for another program to send, set Bastion:Email:PickupDirectory explicitly."
                : "Bastion:Email: set Smtp:Host (send by SMTP) or PickupDirectory (write .eml files).");
        }
    }

    private static void ValidateOutbox(EmailOptions options, List<string> failures)
    {
        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add("Bastion:Email:PollInterval must be between 00:00:00.1 and 00:10:00: how often each node looks for mail other nodes queued or left behind.");
        }

        // A lease that ends while its send still runs lets a second node send the same message.
        var minimumLease = string.IsNullOrWhiteSpace(options.Smtp.Host) ? TimeSpan.FromSeconds(10) : options.Smtp.Timeout * 2;
        if (options.LeaseDuration < minimumLease || options.LeaseDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"Bastion:Email:LeaseDuration must be between {minimumLease:c} (twice Smtp:Timeout, or 10 seconds for a pickup directory) and 01:00:00: a send still running when its lease ends may be repeated by another node.");
        }

        if (options.BatchSize is < 1 or > 100)
        {
            failures.Add("Bastion:Email:BatchSize must be between 1 and 100: how many messages one node sends at the same time.");
        }

        if (options.FailedRetention < TimeSpan.FromHours(1) || options.FailedRetention > TimeSpan.FromDays(90))
        {
            failures.Add("Bastion:Email:FailedRetention must be between 01:00:00 and 90.00:00:00: failed messages hold personal data and are kept for an operator only.");
        }
    }

    private void ValidateSmtp(EmailSmtpOptions smtp, List<string> failures)
    {
        if (smtp.Port is < 1 or > 65535)
        {
            failures.Add("Bastion:Email:Smtp:Port must be between 1 and 65535.");
        }
        else if (smtp.Port == ImplicitTlsPort)
        {
            failures.Add("Bastion:Email:Smtp:Port 465 is implicit TLS (SMTPS), which System.Net.Mail does not support: use the submission port 587 with UseStartTls=true.");
        }

        if (string.IsNullOrEmpty(smtp.UserName) != string.IsNullOrEmpty(smtp.Password))
        {
            failures.Add("Bastion:Email:Smtp needs both UserName and Password, or neither.");
        }

        // Without TLS the password and every reset link cross the network in clear text (RFC 8314 §4).
        if (!smtp.UseStartTls && environment.IsProduction() && !IsLoopback(smtp.Host!))
        {
            failures.Add($"Bastion:Email:Smtp:UseStartTls=false is refused in production for '{smtp.Host}': mail carries reset links and the SMTP password. Use STARTTLS, or a relay on this host (localhost).");
        }

        if (smtp.Timeout <= TimeSpan.Zero || smtp.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Bastion:Email:Smtp:Timeout must be positive and at most 5 minutes.");
        }
    }

    internal static bool IsLoopback(string host)
        => host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool HasLineBreak(string value) => value.AsSpan().IndexOfAny('\r', '\n') >= 0;
}
