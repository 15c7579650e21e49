using System.Globalization;
using System.Net.Mail;
using System.Net.Mime;
using System.Security.Cryptography;
using System.Text;

namespace Bastion.Email;

/// <summary>Turns an <see cref="EmailMessage"/> into a MIME message: multipart/alternative with text first, then HTML (RFC 2046 §5.1.4).</summary>
internal static class MailMessageFactory
{
    public static MailMessage Create(EmailMessage message, EmailOptions options)
    {
        var from = new MailAddress(options.From!, options.ProductName, Encoding.UTF8);
        var mail = new MailMessage
        {
            From = from,
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            Body = message.TextBody,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
            IsBodyHtml = false,
        };
        mail.To.Add(new MailAddress(message.To, message.ToName, Encoding.UTF8));

        // RFC 3834 §5: automatic replies (vacation notices) are not sent to auto-generated mail.
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        mail.Headers.Add("Message-ID", string.Create(CultureInfo.InvariantCulture, $"<{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}@{from.Host}>"));
        if (message.HtmlBody is { } html)
        {
            var view = AlternateView.CreateAlternateViewFromString(html, Encoding.UTF8, MediaTypeNames.Text.Html);
            view.TransferEncoding = TransferEncoding.QuotedPrintable;
            mail.AlternateViews.Add(view);
        }

        return mail;
    }
}
