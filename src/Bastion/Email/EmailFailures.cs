using System.Net.Mail;

namespace Bastion.Email;

/// <summary>Which send failures are worth retrying (RFC 5321 §4.2.1: 4yz replies are transient, 5yz permanent).</summary>
internal static class EmailFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        // A 5yz reply: refused recipient or sender, failed authentication, no STARTTLS. Repeating it cannot succeed.
        SmtpException smtp when (int)smtp.StatusCode is >= 500 and < 600 => false,

        // An invalid certificate fails the same way every time; it needs an operator, not a retry.
        SmtpException { InnerException: System.Security.Authentication.AuthenticationException } => false,
        System.Security.Authentication.AuthenticationException => false,

        // Programming or configuration errors.
        ArgumentException or InvalidOperationException => false,

        // 4yz replies, lost connections, timeouts, a full disk under the pickup directory.
        _ => true,
    };
}
