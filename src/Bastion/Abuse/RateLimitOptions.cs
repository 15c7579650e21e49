namespace Bastion.Abuse;

/// <summary>
/// Request limits by budget (<c>Bastion:Abuse:RateLimits</c>). Every endpoint spends one budget, declared where it is
/// mapped (<see cref="IRateBudgetMetadata"/>) or moved by <see cref="Routes"/>; a budget is counted per client and
/// budget, not per route, so an app's reads share one generous allowance and sign-in steps share one strict one.
/// </summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The budgets by name. The defaults: reads allow an app that polls <c>/api/auth/me</c> every second, with its
    /// other reads, all day (86,400 a day) without a refusal; the strict budgets keep seed 003's 5 a minute for
    /// sign-in and its 10 an hour per address for mail.
    /// </summary>
    public IDictionary<string, RateBudgetOptions> Budgets { get; } = new Dictionary<string, RateBudgetOptions>(StringComparer.OrdinalIgnoreCase)
    {
        [RateBudgets.SignIn] = RateBudgetOptions.Of(5, 50, 200, addressPerMinute: 10, addressPerHour: 100, addressPerDay: 500),
        [RateBudgets.Code] = RateBudgetOptions.Of(10, 60, 200, addressPerMinute: 20, addressPerHour: 200, addressPerDay: 1000),
        [RateBudgets.Mail] = RateBudgetOptions.Of(3, 10, 20, addressPerMinute: 5, addressPerHour: 10, addressPerDay: 50),
        [RateBudgets.Write] = RateBudgetOptions.Of(120, 2_000, 20_000),
        [RateBudgets.Read] = RateBudgetOptions.Of(300, 10_000, 100_000),
    };

    /// <summary>Routes moved to another budget than the one their endpoint declares; the first match wins.</summary>
    public IList<RateRouteOptions> Routes { get; } = [];

    /// <summary>
    /// With a shared state store (Redis), the most permits of one counter a node takes at once and spends without
    /// asking the store again; never more than a sixteenth of the room left, so near a limit every request asks.
    /// 1 makes every request ask the store (exact <c>X-RateLimit-Remaining</c> on every node, one round trip each).
    /// </summary>
    public int MaxLocalPermits { get; set; } = 64;
}
