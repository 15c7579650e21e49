using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace Bastion.Email;

/// <summary>
/// A message with <c>{{name}}</c> placeholders in its subject, text and HTML. Every value placed into the HTML is
/// HTML-encoded, in text and attribute positions alike (the templates quote every attribute), so no value can add
/// markup (OWASP XSS Prevention Cheat Sheet, rules 1 and 2). In the subject and text, line breaks and other control
/// characters in values become spaces, so a value cannot add lines to the text or headers to the message.
/// </summary>
internal sealed partial class EmailTemplate(string category, string subject, string text, string html)
{
    public string Category => category;

    public EmailMessage Render(string to, string? toName, IReadOnlyDictionary<string, string> values)
    {
        var renderedSubject = Fill(subject, values, PlainText);
        return new EmailMessage(to, renderedSubject, Fill(text, values, PlainText), Fill(html, values, HtmlEncoder.Default.Encode))
        {
            ToName = toName is null ? null : PlainText(toName),
            Category = category,
        };
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, Func<string, string> encode)
        => Placeholder().Replace(template, match => values.TryGetValue(match.Groups[1].Value, out var value)
            ? encode(value)
            : throw new InvalidOperationException($"The e-mail template has no value for {{{{{match.Groups[1].Value}}}}}."));

    private static string PlainText(string value) => string.Create(value.Length, value, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = char.IsControl(source[i]) ? ' ' : source[i];
        }
    });

    [GeneratedRegex(@"\{\{([A-Za-z]+)\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Placeholder();
}
