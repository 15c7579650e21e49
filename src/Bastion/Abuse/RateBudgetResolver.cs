using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>
/// Which budget a request spends: a route moved in configuration (<see cref="RateLimitOptions.Routes"/>), else what
/// its endpoint declares (<see cref="IRateBudgetMetadata"/>, the one naming the request's page handler first), else
/// <see cref="RateBudgets.Read"/> for methods that only read (RFC 9110 §9.2.1) and <see cref="RateBudgets.Write"/>
/// for the rest. What each endpoint declares is looked up once.
/// </summary>
internal sealed class RateBudgetResolver(IOptions<AbuseOptions> options)
{
    private readonly IList<RateRouteOptions> _routes = options.Value.RateLimits.Routes;
    private readonly ConcurrentDictionary<Endpoint, Declared> _declared = new();

    /// <summary>The budget a request with <paramref name="method"/> to <paramref name="endpoint"/> spends.</summary>
    public string BudgetFor(Endpoint endpoint, string method, Func<string?> handler)
    {
        var declared = _declared.GetOrAdd(endpoint, Declare);
        foreach (var (routeMethod, budget) in declared.Moved)
        {
            if (routeMethod is null || string.Equals(routeMethod, method, StringComparison.OrdinalIgnoreCase))
            {
                return budget;
            }
        }

        var name = declared.HasHandlers ? handler() : null;
        IRateBudgetMetadata? chosen = null;
        foreach (var metadata in declared.Metadata)
        {
            if (AppliesTo(metadata, method) && (metadata.Handler is null || string.Equals(metadata.Handler, name, StringComparison.OrdinalIgnoreCase))
                && (chosen is null || metadata.Handler is not null || chosen.Handler is null))
            {
                chosen = metadata;
            }
        }

        return chosen?.Budget ?? (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? RateBudgets.Read : RateBudgets.Write);
    }

    /// <summary>Whether a configured route entry names <paramref name="endpoint"/>.</summary>
    public static bool Matches(RateRouteOptions route, Endpoint endpoint) => Parse(route.Match) is var (_, pattern, name) && Matches(endpoint, pattern, name);

    private static bool AppliesTo(IRateBudgetMetadata metadata, string method)
        => metadata.Methods.Count == 0 || metadata.Methods.Any(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase));

    private Declared Declare(Endpoint endpoint)
    {
        var moved = new List<(string? Method, string Budget)>();
        foreach (var route in _routes)
        {
            var (method, pattern, name) = Parse(route.Match);
            if (Matches(endpoint, pattern, name))
            {
                moved.Add((method, route.Budget));
            }
        }

        var metadata = endpoint.Metadata.GetOrderedMetadata<IRateBudgetMetadata>();
        return new Declared(moved, metadata, metadata.Any(m => m.Handler is not null));
    }

    private static bool Matches(Endpoint endpoint, string? pattern, string? name)
        => name is not null
            ? string.Equals(endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, name, StringComparison.OrdinalIgnoreCase)
            : endpoint is RouteEndpoint route && string.Equals(Normalize(route.RoutePattern.RawText), Normalize(pattern), StringComparison.OrdinalIgnoreCase);

    // "GET /api/x" → (GET, /api/x, null); "/api/x" → (null, /api/x, null); "Login" → (null, null, Login).
    private static (string? Method, string? Pattern, string? Name) Parse(string match)
    {
        var trimmed = match.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0)
        {
            return (trimmed[..space], trimmed[(space + 1)..].Trim(), null);
        }

        return trimmed.StartsWith('/') ? (null, trimmed, null) : (null, null, trimmed);
    }

    // Razor page routes have no leading slash and groups leave a trailing one: "/api/x/" and "api/x" are "/api/x".
    private static string Normalize(string? pattern) => "/" + (pattern ?? string.Empty).Trim('/');

    private sealed record Declared(IReadOnlyList<(string? Method, string Budget)> Moved, IReadOnlyList<IRateBudgetMetadata> Metadata, bool HasHandlers);
}
