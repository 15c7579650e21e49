using Bastion.Abuse;
using Bastion.Access;
using Bastion.Accounts;
using Bastion.Audit;
using Bastion.Encryption;
using Bastion.Mfa;
using Bastion.Protection;
using Bastion.Recovery;
using Bastion.Sessions;
using Bastion.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Hosting;

/// <summary>The protected request pipeline and Bastion's endpoints.</summary>
public static class BastionApplicationBuilderExtensions
{
    /// <summary>
    /// Forwarded headers (trusted proxies only) → HTTPS and HSTS (production) → problem+json errors → security
    /// headers → static files → CORS → page methods (405) → authentication → CSRF → authorization → query
    /// parameter validation.
    /// </summary>
    public static WebApplication UseBastion(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<Logging.RequestIdMiddleware>();
        var network = app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value;

        // With no known proxy at all the framework's middleware believes every peer, so it runs only when some
        // proxy is configured (and then believes only those).
        if (network.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (network.RequireHttps ?? app.Environment.IsProduction())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<IpBlockMiddleware>();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseCors();
        app.UseMiddleware<PageMethodsMiddleware>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseMiddleware<CsrfProtectionMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<Validation.QueryParameterValidationMiddleware>();
        return app;
    }

    /// <summary>Maps the JSON API and the health endpoints.</summary>
    public static IEndpointRouteBuilder MapBastionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapAuthApi();
        endpoints.MapSessionApi();
        endpoints.MapTokenApi();
        endpoints.MapMfaApi();
        endpoints.MapRecoveryApi();
        endpoints.MapUserAdministrationApi();
        endpoints.MapRoleAdministrationApi();
        endpoints.MapAbuseApi();
        endpoints.MapAuditApi();
        endpoints.MapEncryptionApi().RequireRecentAuthentication();
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous().DisableRateLimiting();
        return endpoints;
    }
}
