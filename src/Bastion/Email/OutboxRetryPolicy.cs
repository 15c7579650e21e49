using System.Security.Cryptography;

namespace Bastion.Email;

/// <summary>
/// When a failed send is tried again. The schedule lives in the row (<c>due_at</c>), not in a timer, so a retry
/// survives a restart and may be made by any node.
/// </summary>
internal static class OutboxRetryPolicy
{
    private const int MaxDoublings = 16;

    /// <summary>
    /// How long to wait before the next attempt, or null to give up: a permanent failure (a 5yz reply such as a
    /// refused recipient or failed authentication; repeating it cannot help and may lock the SMTP account), or
    /// <paramref name="attempts"/> already past <see cref="EmailOptions.Retries"/> retries.
    /// </summary>
    public static TimeSpan? NextDelay(Exception failure, int attempts, EmailOptions options)
        => EmailFailures.IsTransient(failure) && attempts <= options.Retries ? Backoff(attempts, options.RetryDelay) : null;

    /// <summary>Doubling from <paramref name="first"/>, with ±20 % jitter so that nodes and messages do not retry in step.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan first)
        => first * Math.Pow(2, Math.Clamp(attempt - 1, 0, MaxDoublings)) * (0.8 + (RandomNumberGenerator.GetInt32(401) / 1000.0));
}
