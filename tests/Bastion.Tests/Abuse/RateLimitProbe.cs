using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Bastion.Abuse;
using Bastion.Sessions;
using Bastion.State;
using Bastion.Tests.Mfa;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Abuse;

/// <summary>
/// Drives <see cref="BastionRateLimiter"/> over the in-process store on a hand-moved clock: each request names a
/// route, its declared budget, the user (if any) and the address, and comes back with what the limiter answered.
/// </summary>
internal sealed class RateLimitProbe : IDisposable
{
    private readonly MemoryStateStore _store;
    private readonly BastionRateLimiter _limiter;

    public RateLimitProbe(Action<RateLimitOptions>? configure = null)
    {
        Clock = new ManualClock(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var abuse = new AbuseOptions();
        configure?.Invoke(abuse.RateLimits);
        var options = Options.Create(abuse);
        _store = new MemoryStateStore(Clock);
        _limiter = new BastionRateLimiter(_store, new RateBudgetResolver(options), options, Options.Create(new StateOptions()), Clock);
    }

    public ManualClock Clock { get; }

    public async Task<Answer> SendAsync(string method, string route, string? budget = null, Guid? user = null, string address = "203.0.113.7")
    {
        var metadata = budget is null ? new EndpointMetadataCollection() : new EndpointMetadataCollection(new RateBudgetAttribute(budget));
        var endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(route), 0, metadata, route);
        var response = new StartingResponse();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseFeature>(response);
        context.Request.Method = method;
        context.Request.Path = route;
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (user is { } id)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(BastionClaims.Subject, id.ToString())], "test"));
        }

        context.SetEndpoint(endpoint);
        using var lease = await _limiter.AcquireAsync(context);
        await response.StartAsync();
        return new Answer(
            lease.IsAcquired,
            lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null,
            context.Response.Headers["X-RateLimit-Limit"].ToString(),
            context.Response.Headers["X-RateLimit-Remaining"].ToString());
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _store.Dispose();
    }

    internal sealed record Answer(bool Allowed, TimeSpan? RetryAfter, string Limit, string Remaining);

    // DefaultHttpContext's response never starts; this one runs the OnStarting callbacks when told to.
    private sealed class StartingResponse : HttpResponseFeature
    {
        private readonly List<(Func<object, Task> Callback, object State)> _starting = [];

        public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

        public async Task StartAsync()
        {
            foreach (var (callback, state) in _starting)
            {
                await callback(state);
            }
        }
    }
}
