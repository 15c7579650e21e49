using System.Net.Mail;
using Bastion.Email;

namespace Bastion.Tests.Email;

public sealed class OutboxRetryPolicyTests
{
    [Fact]
    public void Backoff_DoublesWithJitter()
    {
        var first = TimeSpan.FromSeconds(10);

        Assert.InRange(OutboxRetryPolicy.Backoff(1, first), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        Assert.InRange(OutboxRetryPolicy.Backoff(3, first), TimeSpan.FromSeconds(32), TimeSpan.FromSeconds(48));
    }

    [Fact]
    public void Backoff_ManyAttempts_StopsDoublingInsteadOfOverflowing()
        => Assert.InRange(OutboxRetryPolicy.Backoff(int.MaxValue, TimeSpan.FromMilliseconds(1)), TimeSpan.FromSeconds(52), TimeSpan.FromSeconds(79));

    [Fact]
    public void NextDelay_TransientFailureWithinTheRetries_WaitsTheBackoff()
    {
        var options = EmailTestOptions.Create(o => (o.Retries, o.RetryDelay) = (2, TimeSpan.FromSeconds(5)));

        Assert.InRange(OutboxRetryPolicy.NextDelay(new IOException("reset"), 2, options)!.Value, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        Assert.Null(OutboxRetryPolicy.NextDelay(new IOException("reset"), 3, options));
    }

    [Fact]
    public void NextDelay_PermanentFailure_GivesUpAtOnce()
        => Assert.Null(OutboxRetryPolicy.NextDelay(new SmtpException(SmtpStatusCode.MailboxUnavailable, "no such user"), 1, EmailTestOptions.Create()));
}
