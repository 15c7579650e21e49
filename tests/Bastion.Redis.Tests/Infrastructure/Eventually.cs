using System.Diagnostics;

namespace Bastion.Redis.Tests.Infrastructure;

/// <summary>Polls a condition that becomes true asynchronously, failing the test after a bounded wait.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
    {
        await TrueAsync(() => Task.FromResult(condition()), description, timeout);
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string description, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(5);
        var stopwatch = Stopwatch.StartNew();
        while (!await HoldsAsync(condition))
        {
            if (stopwatch.Elapsed > limit)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {limit.TotalSeconds} s waiting until {description}.");
            }

            await Task.Delay(10);
        }
    }

    // A condition about recovery may throw while the server is still coming back: that is "not yet", not a failure.
    private static async Task<bool> HoldsAsync(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }
}
