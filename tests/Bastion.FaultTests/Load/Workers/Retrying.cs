using Bastion.FaultTests.Http;

namespace Bastion.FaultTests.Load.Workers;

/// <summary>
/// How a well-behaved client retries a request it never saw answered, or that answered 5xx (or what
/// <paramref name="alsoRetry"/> adds): the same request (same refresh token, same Idempotency-Key), after
/// Retry-After (at most a second), for at most <see cref="Window"/> — long enough to outlast every fault in the suite.
/// </summary>
internal static class Retrying
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    public static async Task<Answer> SendAsync(Func<Task<Answer>> send, Action<Answer> onRetry, CancellationToken cancellationToken, Func<Answer, bool>? alsoRetry = null)
    {
        var deadline = RunClock.Now + Window.TotalSeconds;
        var answer = await send();
        while ((answer.Failed || alsoRetry?.Invoke(answer) == true) && RunClock.Now < deadline)
        {
            await Task.Delay(answer.RetryDelay, cancellationToken);
            onRetry(answer);
            answer = await send();
        }

        return answer;
    }
}
