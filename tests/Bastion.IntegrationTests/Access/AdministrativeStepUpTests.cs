using System.Net;
using System.Text.RegularExpressions;
using Bastion.Mfa;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bastion.IntegrationTests.Access;

/// <summary>
/// The step-up convention as a contract over the whole application (OWASP ASVS 5.0 §7.5.1): every administrative
/// change — an endpoint whose route has an <c>admin</c> segment and that answers a method other than GET or HEAD —
/// and the audit export, a bulk read of personal data, require a recent full authentication. The contract walks the
/// real endpoint data source, so an administrative endpoint added anywhere (library or host) without
/// <c>.RequireRecentAuthentication()</c> fails here.
/// </summary>
public sealed partial class AdministrativeStepUpTests : HostWithClock
{
    // Reads that hand out personal data in bulk: treated like changes.
    private static readonly string[] SensitiveReads = ["/api/admin/audit/export"];

    [Fact]
    public void EveryAdministrativeChange_CarriesTheStepUpRequirement()
    {
        var administrative = AdministrativeEndpoints().ToList();

        var missing = administrative.Where(e => !RequiresStepUp(e.Endpoint)).Select(e => $"{e.Method} {e.Endpoint.RoutePattern.RawText}").ToList();

        Assert.True(missing.Count == 0, "Administrative endpoints without .RequireRecentAuthentication(): " + string.Join(", ", missing));

        // The walk itself must see what it guards: if these are not found, the filter above is broken.
        var routes = administrative.Select(e => $"{e.Method} {e.Endpoint.RoutePattern.RawText}").ToList();
        Assert.Contains("POST /api/admin/users/{id:guid}/approve", routes);
        Assert.Contains("DELETE /api/admin/blocked-ips/{ip}", routes);
        Assert.Contains("POST /api/admin/keys/rotate", routes);
        Assert.Contains("POST /api/equipment/admin/re-encrypt", routes);
        Assert.Contains("GET /api/admin/audit/export", routes);
        Assert.DoesNotContain(routes, r => r.StartsWith("GET /api/admin/users", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryAdministrativeChange_WithoutARecentStepUp_AnswersStepUpRequired()
    {
        using var actors = await Actors.CreateAsync(Host);
        Time.Advance(TimeSpan.FromMinutes(11));

        foreach (var (method, endpoint) in AdministrativeEndpoints())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(endpoint.RoutePattern.RawText!))
            {
                Content = method == HttpMethods.Get ? null : JsonContent.Create(new { }),
            };
            var response = await actors.Root.Http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {request.RequestUri} answered {(int)response.StatusCode}");
            await TestClient.ExpectProblemAsync(response, HttpStatusCode.Forbidden, "step_up_required");
        }
    }

    [Fact]
    public async Task Approve_WithoutARecentStepUp_IsRefused_UntilTheAdministratorReauthenticates()
    {
        using var actors = await Actors.CreateAsync(Host);
        using var applicant = Host.CreateClient();
        var id = (await TestClient.ExpectAsync(await applicant.PostJsonAsync("/api/auth/register",
            new { email = $"ops-{Guid.NewGuid():N}@example.com", password = TestClient.StrongPassword, fullName = "Ops Person", requestedRole = "admin" }), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        Time.Advance(TimeSpan.FromMinutes(11));

        await TestClient.ExpectProblemAsync(await actors.Root.Http.PostAsync($"/api/admin/users/{id}/approve", null), HttpStatusCode.Forbidden, "step_up_required");
        await TestClient.ExpectAsync(await actors.Root.PostJsonAsync("/api/auth/reauthenticate", new { password = Actors.RootPassword }), HttpStatusCode.NoContent);

        var approved = await TestClient.ExpectAsync(await actors.Root.Http.PostAsync($"/api/admin/users/{id}/approve", null), HttpStatusCode.OK);
        Assert.Equal("active", approved.GetProperty("status").GetString());
    }

    [Fact]
    public async Task DisableAndExport_WithoutARecentStepUp_AreRefused()
    {
        using var actors = await Actors.CreateAsync(Host);
        var (user, userId, _) = await actors.UserAsync("viewer");
        Time.Advance(TimeSpan.FromMinutes(11));

        await TestClient.ExpectProblemAsync(await actors.Root.Http.PostAsync($"/api/admin/users/{userId}/disable", null), HttpStatusCode.Forbidden, "step_up_required");
        await TestClient.ExpectProblemAsync(await actors.Root.Http.GetAsync("/api/admin/audit/export?format=jsonl"), HttpStatusCode.Forbidden, "step_up_required");

        await TestClient.ExpectAsync(await user.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    private IEnumerable<(string Method, RouteEndpoint Endpoint)> AdministrativeEndpoints()
    {
        var endpoints = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var route = endpoint.RoutePattern.RawText ?? string.Empty;
            if (!route.Split('/').Contains("admin", StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            // No method metadata means every method, so the endpoint is a change too.
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Post];
            foreach (var method in methods)
            {
                var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
                if (!isRead || (HttpMethods.IsGet(method) && SensitiveReads.Contains(route, StringComparer.Ordinal)))
                {
                    yield return (method, endpoint);
                }
            }
        }
    }

    private static bool RequiresStepUp(Endpoint endpoint)
        => endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>().Any(p => p.Requirements.OfType<RecentAuthenticationRequirement>().Any());

    /// <summary>A path that matches the route: each parameter filled with a value its constraint accepts.</summary>
    private static string Concrete(string route) => RouteParameter().Replace(route, match =>
        match.Groups["constraint"].Value.Contains("guid", StringComparison.OrdinalIgnoreCase) ? Guid.NewGuid().ToString()
        : match.Groups["constraint"].Value.Contains("int", StringComparison.OrdinalIgnoreCase) ? "1"
        : match.Groups["name"].Value == "ip" ? "203.0.113.77"
        : "x");

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z]+)(?<constraint>:[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}
