using Bastion.Email;

namespace Bastion.Tests.Email;

/// <summary>A sender that holds every send until <c>release</c> completes.</summary>
internal sealed class BlockingEmailSender(Task release) : IEmailSender
{
    private int _sent;

    public int Sent => Volatile.Read(ref _sent);

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        await release.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _sent);
    }
}
