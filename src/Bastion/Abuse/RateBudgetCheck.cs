using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Abuse;

/// <summary>
/// At start, once every endpoint is mapped: refuses to start when an endpoint declares a budget that is not
/// configured, or a configured route moves no endpoint at all (a typo there would leave the route on its old budget
/// without a word).
/// </summary>
internal sealed class RateBudgetCheck(IServiceProvider services, IOptions<AbuseOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var limits = options.Value.RateLimits;
        var endpoints = services.GetService<EndpointDataSource>()?.Endpoints ?? [];
        var failures = endpoints
            .SelectMany(endpoint => endpoint.Metadata.GetOrderedMetadata<IRateBudgetMetadata>()
                .Where(declared => !limits.Budgets.ContainsKey(declared.Budget))
                .Select(declared => $"Endpoint '{endpoint.DisplayName}' spends rate budget '{declared.Budget}', which Bastion:Abuse:RateLimits:Budgets does not define."))
            .Concat(limits.Routes
                .Where(route => !endpoints.Any(endpoint => RateBudgetResolver.Matches(route, endpoint)))
                .Select(route => $"Bastion:Abuse:RateLimits:Routes entry '{route.Match}' matches no endpoint; name an endpoint (Login) or a route pattern (GET /api/equipment/export)."))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return failures.Count == 0 ? Task.CompletedTask : throw new OptionsValidationException(nameof(AbuseOptions), typeof(AbuseOptions), failures);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
