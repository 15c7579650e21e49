using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Bastion.Email;

/// <summary>
/// Sends through an SMTP server with System.Net.Mail. With <see cref="EmailSmtpOptions.UseStartTls"/> the
/// connection is upgraded before anything else is sent (RFC 3207) and the server's certificate is validated by the
/// platform: a server that does not offer STARTTLS, or whose certificate is not trusted, fails the send.
/// </summary>
internal sealed class SmtpEmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var smtp = settings.Smtp;
        using var mail = MailMessageFactory.Create(message, settings);

        // SmtpClient is not safe for concurrent sends and keeps no useful pool: one client per message.
        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = smtp.UseStartTls,
            UseDefaultCredentials = false,
            Timeout = (int)smtp.Timeout.TotalMilliseconds,
        };
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        }

        // SmtpClient.Timeout only bounds synchronous sends; the asynchronous one is bounded here.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(smtp.Timeout);
        try
        {
            await client.SendMailAsync(mail, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The SMTP server did not complete the send within {smtp.Timeout.TotalSeconds:0} seconds.");
        }
    }
}
