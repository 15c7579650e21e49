using Bastion.Email;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Bastion.Tests.Email;

public sealed class EmailOptionsValidatorTests
{
    [Fact]
    public void Production_WithStartTlsSmtp_IsValid()
        => Assert.True(Validate(Environments.Production, ProductionSmtp()).Succeeded);

    [Fact]
    public void From_Missing_IsRefusedWithTheSettingToChange()
        => AssertFails(Environments.Staging, Pickup(o => o.From = null), "Bastion:Email:From is required");

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("Bastion <no-reply@example.com>")]
    [InlineData("no-reply@example.com\r\nBcc: victim@example.com")]
    public void From_NotAPlainAddress_IsRefused(string from)
        => AssertFails(Environments.Staging, Pickup(o => o.From = from), "is not a plain e-mail address");

    [Fact]
    public void ProductName_WithALineBreak_IsRefused()
        => AssertFails(Environments.Staging, Pickup(o => o.ProductName = "Bastion\r\nBcc: x@example.com"), "ProductName");

    [Fact]
    public void PublicBaseUrl_Missing_IsRefused()
        => AssertFails(Environments.Staging, Pickup(o => o.PublicBaseUrl = null), "Bastion:Email:PublicBaseUrl is required");

    [Theory]
    [InlineData("ftp://bastion.example.com")]
    [InlineData("https://user:pass@bastion.example.com")]
    [InlineData("https://bastion.example.com/?next=x")]
    public void PublicBaseUrl_NotAPlainHttpsUrl_IsRefused(string url)
        => AssertFails(Environments.Staging, Pickup(o => o.PublicBaseUrl = new Uri(url)), "must be an absolute https:// URL");

    [Fact]
    public void PublicBaseUrl_Relative_IsRefused()
        => AssertFails(Environments.Staging, Pickup(o => o.PublicBaseUrl = new Uri("/app", UriKind.Relative)), "must be an absolute https:// URL");

    [Fact]
    public void PublicBaseUrl_HttpInProduction_IsRefused()
        => AssertFails(Environments.Production, ProductionSmtp(o => o.PublicBaseUrl = new Uri("http://bastion.example.com")), "must use https in production");

    [Fact]
    public void PublicBaseUrl_HttpOutsideProduction_IsAllowed()
        => Assert.True(Validate(Environments.Staging, Pickup(o => o.PublicBaseUrl = new Uri("http://staging.internal:8080"))).Succeeded);

    [Theory]
    [InlineData("reset-password")]
    [InlineData("//evil.example/reset")]
    [InlineData("/reset?x=1")]
    public void Link_NotASinglePath_IsRefused(string path)
        => AssertFails(Environments.Staging, Pickup(o => o.Links.ResetPassword = path), "Bastion:Email:Links:ResetPassword must be a path");

    [Fact]
    public void Production_WithoutSmtpHostOrPickupDirectory_IsRefused()
        => AssertFails(Environments.Production, ProductionSmtp(o => o.Smtp.Host = null), "Smtp:Host is required in production");

    [Fact]
    public void Production_WithExplicitPickupDirectory_IsAllowed()
        => Assert.True(Validate(Environments.Production, ProductionSmtp(o => (o.Smtp.Host, o.PickupDirectory) = (null, "/var/spool/bastion"))).Succeeded);

    [Fact]
    public void SmtpHostAndPickupDirectory_Together_AreRefused()
        => AssertFails(Environments.Staging, Pickup(o => o.Smtp.Host = "smtp.example.com"), "not both");

    [Fact]
    public void Production_SmtpWithoutStartTlsToARemoteHost_IsRefused()
        => AssertFails(Environments.Production, ProductionSmtp(o => o.Smtp.UseStartTls = false), "UseStartTls=false is refused in production");

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    public void Production_SmtpWithoutStartTlsToLoopback_IsAllowed(string host)
        => Assert.True(Validate(Environments.Production, ProductionSmtp(o => (o.Smtp.Host, o.Smtp.UseStartTls) = (host, false))).Succeeded);

    [Fact]
    public void Staging_SmtpWithoutStartTls_IsAllowed()
        => Assert.True(Validate(Environments.Staging, ProductionSmtp(o => o.Smtp.UseStartTls = false)).Succeeded);

    [Fact]
    public void SmtpPort465_IsRefusedAsImplicitTls()
        => AssertFails(Environments.Staging, ProductionSmtp(o => o.Smtp.Port = 465), "implicit TLS (SMTPS), which System.Net.Mail does not support");

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void SmtpPort_OutOfRange_IsRefused(int port)
        => AssertFails(Environments.Staging, ProductionSmtp(o => o.Smtp.Port = port), "Smtp:Port must be between 1 and 65535");

    [Fact]
    public void SmtpUserNameWithoutPassword_IsRefused()
        => AssertFails(Environments.Staging, ProductionSmtp(o => o.Smtp.Password = null), "both UserName and Password");

    [Fact]
    public void RetriesAndDelaysOutOfRange_AreRefused()
    {
        var failures = Validate(Environments.Staging, Pickup(o =>
        {
            o.Retries = -1;
            o.RetryDelay = TimeSpan.Zero;
        })).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("Retries must be between 0 and 10", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("RetryDelay must be positive", StringComparison.Ordinal));
    }

    [Fact]
    public void OutboxSettingsOutOfRange_AreRefused()
    {
        var failures = Validate(Environments.Staging, Pickup(o =>
        {
            o.PollInterval = TimeSpan.Zero;
            o.LeaseDuration = TimeSpan.FromSeconds(1);
            o.BatchSize = 0;
            o.FailedRetention = TimeSpan.FromDays(365);
        })).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("PollInterval must be between", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("LeaseDuration must be between", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("BatchSize must be between 1 and 100", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("FailedRetention must be between", StringComparison.Ordinal));
    }

    [Fact]
    public void LeaseShorterThanTwoSmtpTimeouts_IsRefused()
        => AssertFails(Environments.Staging, ProductionSmtp(o => (o.Smtp.Timeout, o.LeaseDuration) = (TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(59))),
            "LeaseDuration must be between 00:01:00");

    [Fact]
    public void Defaults_AreValid()
        => Assert.True(Validate(Environments.Production, ProductionSmtp(o => o.Smtp.Timeout = new EmailSmtpOptions().Timeout)).Succeeded);

    private static EmailOptions Pickup(Action<EmailOptions>? configure = null)
        => EmailTestOptions.Create(o =>
        {
            o.PickupDirectory = "/tmp/outbox";
            configure?.Invoke(o);
        });

    private static EmailOptions ProductionSmtp(Action<EmailOptions>? configure = null)
        => EmailTestOptions.Create(o =>
        {
            o.Smtp.Host = "smtp.example.com";
            o.Smtp.UserName = "mailer";
            o.Smtp.Password = "a-long-random-password";
            configure?.Invoke(o);
        });

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string environment, EmailOptions options)
        => new EmailOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options);

    private static void AssertFails(string environment, EmailOptions options, string expected)
    {
        var result = Validate(environment, options);
        Assert.True(result.Failed, "Expected a failure mentioning: " + expected);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }
}
