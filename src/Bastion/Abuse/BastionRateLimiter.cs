using System.Globalization;
using System.Threading.RateLimiting;
using Bastion.Sessions;
using Bastion.State;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>
/// The framework rate-limiting middleware's global limiter, counted in the shared state store so that every node
/// counts the same requests. Each request spends the budget its endpoint declares (<see cref="RateBudgetResolver"/>):
/// the budget's per-minute, hourly and daily windows per client (the user when signed in, else the address) and,
/// for the strict budgets, per address whoever is signed in; all of them are checked and counted in one atomic
/// store call. With a shared store, a node takes permits of a counter that is far from its limit a few at a time
/// (<see cref="PermitAllotments"/>), so that most requests need no round trip. Responses carry
/// <c>X-RateLimit-Limit</c>, <c>-Remaining</c> and <c>-Reset</c> for the tightest window (seed 003), or for the
/// window that refused; a refusal is a 429 with <c>Retry-After</c> until that window ends.
/// </summary>
internal sealed class BastionRateLimiter(IStateStore store, RateBudgetResolver budgets, IOptions<AbuseOptions> options, IOptions<StateOptions> state, TimeProvider time)
    : PartitionedRateLimiter<HttpContext>
{
    private readonly RateLimitOptions _limits = options.Value.RateLimits;
    private readonly string _prefix = state.Value.KeyPrefix + "rate:";

    // Only a shared store is worth saving round trips to; the in-process store counts every request itself.
    private readonly PermitAllotments? _allotments = state.Value.Provider == StateProvider.Redis && options.Value.RateLimits.MaxLocalPermits > 1
        ? new PermitAllotments(time)
        : null;

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    // Counting needs the store, which is asynchronous: the synchronous attempt always defers to AcquireAsync.
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) => Lease.Deferred;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        var rules = RulesFor(resource);
        if (rules.Count == 0)
        {
            return Lease.Free;
        }

        // Spend what this node already holds; ask the store, in one call, only for the rules it holds nothing for.
        var taken = new PermitAllotments.Allotment?[rules.Count];
        var seen = new CounterState[rules.Count];
        List<int>? asking = null;
        for (var i = 0; i < rules.Count; i++)
        {
            taken[i] = _allotments?.TryTake(rules[i].Key);
            if (taken[i] is { } allotment)
            {
                seen[i] = new CounterState(allotment.Spent, _allotments!.TimeLeft(allotment));
            }
            else
            {
                (asking ??= new List<int>(rules.Count)).Add(i);
            }
        }

        if (asking is not null)
        {
            var ask = new CounterRule[asking.Count];
            for (var j = 0; j < asking.Count; j++)
            {
                var rule = rules[asking[j]];
                ask[j] = _allotments is null ? rule : rule with { Take = _limits.MaxLocalPermits };
            }

            var askedAt = time.GetTimestamp();
            var decision = await store.HitCountersAsync(ask, cancellationToken);
            if (!decision.Allowed)
            {
                foreach (var allotment in taken)
                {
                    allotment?.Return();
                }

                var refused = asking[decision.RefusedBy];
                var state = decision.Counters[decision.RefusedBy];
                AddHeaders(resource, rules[refused].Limit, state);
                return Lease.Refused(state.ResetsIn);
            }

            for (var j = 0; j < asking.Count; j++)
            {
                var state = decision.Counters[j];
                _allotments?.Record(ask[j].Key, state, askedAt);
                // The store's count includes the permits this node now holds for later requests.
                seen[asking[j]] = state with { Count = state.Count - Math.Max(0, state.Granted - 1) };
            }
        }

        var tightest = 0;
        for (var i = 1; i < rules.Count; i++)
        {
            if (rules[i].Limit - seen[i].Count < rules[tightest].Limit - seen[tightest].Count)
            {
                tightest = i;
            }
        }

        AddHeaders(resource, rules[tightest].Limit, seen[tightest]);
        return Lease.Free;
    }

    private void AddHeaders(HttpContext context, long limit, CounterState counter)
    {
        var remaining = Math.Max(0, limit - counter.Count);
        var reset = time.GetUtcNow() + counter.ResetsIn;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
    }

    private List<CounterRule> RulesFor(HttpContext context)
    {
        var rules = new List<CounterRule>(6);
        if (!_limits.Enabled || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return rules;
        }

        var request = context.Request;
        var name = budgets.BudgetFor(endpoint, request.Method, () => HandlerOf(context));
        if (!_limits.Budgets.TryGetValue(name, out var budget))
        {
            // RateBudgetCheck refuses to start with an endpoint naming a budget that is not configured.
            throw new InvalidOperationException($"Rate budget '{name}' is not configured.");
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var client = context.User.UserId() is { } userId ? "u:" + userId.ToString("N") : "ip:" + address;
        var key = name.ToLowerInvariant();
        // Longest window first: when several are full, the refusal names the wait that actually ends it.
        AddWindows(rules, $"{_prefix}{client}:{key}", budget);
        AddWindows(rules, $"{_prefix}a:{address}:{key}", budget.Address);
        return rules;
    }

    private static void AddWindows(List<CounterRule> rules, string key, RateWindowOptions windows)
    {
        if (windows.PerDay > 0)
        {
            rules.Add(new CounterRule(key + ":d", windows.PerDay, TimeSpan.FromDays(1)));
        }

        if (windows.PerHour > 0)
        {
            rules.Add(new CounterRule(key + ":h", windows.PerHour, TimeSpan.FromHours(1)));
        }

        if (windows.PerMinute > 0)
        {
            rules.Add(new CounterRule(key + ":m", windows.PerMinute, TimeSpan.FromMinutes(1)));
        }
    }

    // Razor Pages picks a named handler from the route, else from the query (DefaultPageHandlerMethodSelector).
    private static string? HandlerOf(HttpContext context)
        => context.Request.RouteValues["handler"] as string ?? context.Request.Query["handler"].FirstOrDefault();

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static Lease Free { get; } = new(true, null);

        public static Lease Deferred { get; } = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
