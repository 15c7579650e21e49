namespace Bastion.Abuse;

/// <summary>The checks of <c>Bastion:Abuse:RateLimits</c>, run with the rest of <see cref="AbuseOptions"/> at start.</summary>
internal static class RateLimitOptionsValidation
{
    private const string Section = "Bastion:Abuse:RateLimits";

    public static IEnumerable<string> Validate(RateLimitOptions limits)
    {
        if (limits.MaxLocalPermits is < 1 or > 10_000)
        {
            yield return $"{Section}:MaxLocalPermits must be between 1 and 10000.";
        }

        foreach (var (name, budget) in limits.Budgets)
        {
            if (budget is null)
            {
                yield return $"{Section}:Budgets:{name} has no windows; set PerMinute, PerHour or PerDay.";
                continue;
            }

            if (budget.PerMinute <= 0 && budget.PerHour <= 0 && budget.PerDay <= 0)
            {
                yield return $"{Section}:Budgets:{name} must limit at least one of PerMinute, PerHour and PerDay (0 means no limit for that window; Enabled=false turns rate limiting off).";
            }

            foreach (var failure in CheckWindows($"{Section}:Budgets:{name}", budget).Concat(CheckWindows($"{Section}:Budgets:{name}:Address", budget.Address)))
            {
                yield return failure;
            }
        }

        for (var i = 0; i < limits.Routes.Count; i++)
        {
            var route = limits.Routes[i];
            if (string.IsNullOrWhiteSpace(route.Match))
            {
                yield return $"{Section}:Routes:{i}:Match must name an endpoint (Login) or a route pattern (GET /api/equipment/export).";
            }

            if (string.IsNullOrWhiteSpace(route.Budget) || !limits.Budgets.ContainsKey(route.Budget))
            {
                yield return $"{Section}:Routes:{i}:Budget '{route.Budget}' is not one of the budgets: {string.Join(", ", limits.Budgets.Keys)}.";
            }
        }
    }

    private static IEnumerable<string> CheckWindows(string path, RateWindowOptions windows)
    {
        if (windows.PerMinute < 0 || windows.PerHour < 0 || windows.PerDay < 0)
        {
            yield return $"{path}: PerMinute, PerHour and PerDay must not be negative (0 means no limit for that window).";
        }

        // A longer window allowing fewer requests than a shorter one makes the shorter one pointless: a slip, not a choice.
        if ((windows.PerHour > 0 && windows.PerMinute > windows.PerHour) || (windows.PerDay > 0 && Math.Max(windows.PerMinute, windows.PerHour) > windows.PerDay))
        {
            yield return $"{path}: PerHour must be at least PerMinute, and PerDay at least PerHour.";
        }
    }
}
