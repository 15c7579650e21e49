namespace Bastion.Email;

/// <summary>
/// Delivers one message now, and throws when it cannot. Request handlers should not call it: they enqueue on
/// <see cref="IEmailOutbox"/>, so that a slow or failing mail server never changes the answer a user gets.
/// </summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
