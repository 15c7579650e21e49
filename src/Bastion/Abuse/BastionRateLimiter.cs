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
/// counts the same requests. All rules that apply to a request are checked and counted in one atomic store call:
/// per client and endpoint per hour and per day, per client for the whole API per minute, per address for
/// sign-in per minute, and per address for the requests that send mail (password reset, verification) per hour.
/// With a shared store, a node takes permits of a counter that is far from its limit a few at a time
/// (<see cref="PermitAllotments"/>), so that most requests need no round trip. Responses carry
/// <c>X-RateLimit-Limit</c>, <c>-Remaining</c> and <c>-Reset</c> for the tightest rule (seed 003); a refusal is a
/// 429 with <c>Retry-After</c>.
/// </summary>
internal sealed class BastionRateLimiter(IStateStore store, IOptions<AbuseOptions> options, IOptions<StateOptions> state, TimeProvider time)
    : PartitionedRateLimiter<HttpContext>
{
    private readonly RateLimitOptions _limits = options.Value.RateLimits;
    // Every step that checks a password or a second factor shares the per-address sign-in budget.
    private static readonly HashSet<string> SignInPaths = new(StringComparer.OrdinalIgnoreCase)
    {
        "/api/auth/login", "/login", "/api/auth/mfa", "/login/mfa", "/api/auth/reauthenticate",
    };

    private readonly string _prefix = state.Value.KeyPrefix + "rate:";

    // Only a shared store is worth saving round trips to; the in-process store counts every request itself.
    private readonly PermitAllotments? _allotments = state.Value.Provider == StateProvider.Redis && options.Value.RateLimits.MaxLocalPermits > 1
        ? new PermitAllotments(time)
        : null;

    // Requests that make Bastion send mail: limited per address as well as per client (OWASP Forgot Password Cheat Sheet).
    private static readonly string[] RecoveryPaths = ["/api/auth/password/forgot", "/forgot-password", "/api/auth/email/resend"];

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
        var rules = new List<CounterRule>(4);
        var path = context.Request.Path;
        if (!_limits.Enabled || path.StartsWithSegments("/health") || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return rules;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var client = context.User.UserId() is { } userId ? "u:" + userId.ToString("N") : "ip:" + address;
        var route = context.Request.Method + " " + endpoint.RoutePattern.RawText;
        rules.Add(new CounterRule($"{_prefix}{client}:{route}:h", _limits.PerEndpointPerHour, TimeSpan.FromHours(1)));
        rules.Add(new CounterRule($"{_prefix}{client}:{route}:d", _limits.PerEndpointPerDay, TimeSpan.FromDays(1)));
        if (path.StartsWithSegments("/api"))
        {
            rules.Add(new CounterRule($"{_prefix}{client}:api:m", _limits.ApiPerMinute, TimeSpan.FromMinutes(1)));
        }

        if (HttpMethods.IsPost(context.Request.Method) && SignInPaths.Contains(path.Value ?? string.Empty))
        {
            rules.Add(new CounterRule($"{_prefix}ip:{address}:signin:m", _limits.SignInPerMinute, TimeSpan.FromMinutes(1)));
        }

        if (HttpMethods.IsPost(context.Request.Method) && RecoveryPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase)))
        {
            rules.Add(new CounterRule($"{_prefix}ip:{address}:recovery:h", _limits.RecoveryPerHour, TimeSpan.FromHours(1)));
        }

        return rules;
    }

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
