using System.Net.Mail;

namespace Bastion.Email;

/// <summary>
/// One message to one recipient: a plain-text body and, optionally, an HTML alternative. Build messages with
/// <see cref="EmailTemplates"/>, which encodes every value placed into the HTML.
/// </summary>
public sealed class EmailMessage
{
    /// <exception cref="ArgumentException">The address is not valid, or the subject spans lines (header injection).</exception>
    public EmailMessage(string to, string subject, string textBody, string? htmlBody = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(textBody);
        if (!MailAddress.TryCreate(to, out var address) || address.DisplayName.Length > 0 || to.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("The recipient is not a plain e-mail address.", nameof(to));
        }

        if (subject.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("The subject must be one line.", nameof(subject));
        }

        To = to;
        Subject = subject;
        TextBody = textBody;
        HtmlBody = htmlBody;
    }

    public string To { get; }

    /// <summary>The recipient's name for the To header, if known.</summary>
    public string? ToName { get; init; }

    public string Subject { get; }

    public string TextBody { get; }

    public string? HtmlBody { get; }

    /// <summary>What kind of message this is (<c>password_reset</c>, …), for logs: never personal data.</summary>
    public string Category { get; init; } = "message";

    /// <summary>The category only: the recipient and the bodies (which may hold tokens) stay out of logs.</summary>
    public override string ToString() => $"EmailMessage({Category})";
}
