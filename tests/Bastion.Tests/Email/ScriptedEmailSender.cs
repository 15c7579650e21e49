using System.Collections.Concurrent;
using Bastion.Email;

namespace Bastion.Tests.Email;

/// <summary>A sender whose n-th attempt throws what <c>failure(n)</c> returns (or succeeds on null); it counts attempts and deliveries.</summary>
internal sealed class ScriptedEmailSender(Func<int, Exception?> failure) : IEmailSender
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public ConcurrentQueue<EmailMessage> Delivered { get; } = new();

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        if (failure(Interlocked.Increment(ref _attempts)) is { } exception)
        {
            throw exception;
        }

        Delivered.Enqueue(message);
        return Task.CompletedTask;
    }
}
