using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Bastion.Email;

/// <summary>
/// Writes each message as an .eml file (a random name chosen by System.Net.Mail) into the pickup directory, for
/// development or for a local mail transfer agent that sends from there. The directory is created readable by
/// this user only: the files hold reset links and sign-in codes.
/// </summary>
internal sealed class PickupDirectoryEmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var directory = Path.GetFullPath(settings.PickupDirectory!);
        CreatePrivateDirectory(directory);

        using var mail = MailMessageFactory.Create(message, settings);
        using var client = new SmtpClient
        {
            DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
            PickupDirectoryLocation = directory,
        };
        await client.SendMailAsync(mail, cancellationToken);
    }

    internal static void CreatePrivateDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
