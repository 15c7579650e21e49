using System.Net.Mail;
using System.Security.Authentication;
using Bastion.Email;

namespace Bastion.Tests.Email;

/// <summary>
/// STARTTLS (RFC 3207) against a real server with a self-signed certificate. The tests of this class change the
/// process-wide certificate callback of SmtpClient one after another; no other test uses STARTTLS with a trusted certificate.
/// </summary>
public sealed class StartTlsTests(StartTlsSmtpServer server) : IClassFixture<StartTlsSmtpServer>
{
    [Fact]
    public async Task Send_WithStartTlsAndTrustedCertificate_DeliversOverTls()
    {
        var to = EmailTestOptions.UniqueRecipient();
        var sender = new SmtpEmailSender(Options());

        using (server.TrustCertificate())
        {
            await sender.SendAsync(new EmailMessage(to, "Over TLS", "body", "<p>body</p>"));
        }

        var received = Assert.Single(server.Received(), m => m.To.Contains(to));
        Assert.True(received.Secure, "The message was not sent over TLS.");
        Assert.Contains("Subject: Over TLS", received.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_WithStartTlsAndUntrustedCertificate_IsRefusedBeforeTheMessageIsSent()
    {
        var to = EmailTestOptions.UniqueRecipient();
        var sender = new SmtpEmailSender(Options());

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(new EmailMessage(to, "Not over TLS", "body")));

        Assert.True(failure is AuthenticationException || failure.InnerException is AuthenticationException, failure.ToString());
        Assert.False(EmailFailures.IsTransient(failure));
        Assert.DoesNotContain(server.Received(), m => m.To.Contains(to));
    }

    private Microsoft.Extensions.Options.IOptions<EmailOptions> Options()
        => Microsoft.Extensions.Options.Options.Create(EmailTestOptions.Create(o =>
        {
            o.Smtp.Host = server.Host;
            o.Smtp.Port = server.Port;
            o.Smtp.UseStartTls = true;
        }));
}
