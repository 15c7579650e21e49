using System.Text;
using System.Text.RegularExpressions;

namespace Bastion.Email;

/// <summary>
/// What the outbox may write to logs about a message: a masked recipient (first character and domain, enough to
/// tell an operator which provider refuses) and the failure's exception types and messages with any address in
/// them masked the same way; SMTP replies often quote the recipient.
/// </summary>
internal static partial class EmailLogRedaction
{
    private const int MaxInnerExceptions = 3;

    public static string MaskAddress(string address)
    {
        var at = address.LastIndexOf('@');
        return at <= 0 ? "***" : string.Concat(address.AsSpan(0, 1), "***", address.AsSpan(at));
    }

    public static string Describe(Exception exception)
    {
        var text = new StringBuilder();
        var depth = 0;
        for (var current = exception; current is not null && depth <= MaxInnerExceptions; current = current.InnerException, depth++)
        {
            if (depth > 0)
            {
                text.Append(" ---> ");
            }

            text.Append(current.GetType().Name);
            if (current is System.Net.Mail.SmtpException smtp)
            {
                text.Append(" (").Append(smtp.StatusCode).Append(')');
            }

            text.Append(": ").Append(Address().Replace(current.Message, match => MaskAddress(match.Value)));
        }

        return text.ToString();
    }

    [GeneratedRegex(@"[^\s<>""'(),;:]+@[^\s<>""'(),;:]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Address();
}
