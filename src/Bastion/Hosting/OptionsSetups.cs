using System.Net;
using Bastion.Protection;
using Bastion.Sessions;
using SessionOptions = Bastion.Sessions.SessionOptions;
using Bastion.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Hosting;

// Framework options filled in from Bastion's own settings, the way the framework's *OptionsSetup classes do it.

/// <summary>SQLite defaults to a file in the data directory.</summary>
internal sealed class DatabaseOptionsDefaults(IOptions<BastionOptions> bastion) : IPostConfigureOptions<DatabaseOptions>
{
    public void PostConfigure(string? name, DatabaseOptions options)
    {
        if (options.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var directory = Path.GetFullPath(bastion.Value.DataDirectory);
            Directory.CreateDirectory(directory);
            options.ConnectionString = $"Data Source={Path.Combine(directory, "bastion.db")};Default Timeout=30";
        }

        // Statements Bastion runs on every sign-in, refresh and request (a dozen shapes) are prepared once per
        // connection instead of parsed and planned each time, unless the connection string says otherwise (set
        // Max Auto Prepare=0 behind a pooler that cannot keep prepared statements).
        if (options.Provider == DatabaseProvider.Postgres && !string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
            if (!options.ConnectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
                && !options.ConnectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
            {
                builder.MaxAutoPrepare = 64;
                builder.AutoPrepareMinUsages = 2;
                options.ConnectionString = builder.ConnectionString;
            }
        }
    }
}

internal sealed class KeyRingEncryptionSetup(SecretBox box) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options) => options.XmlEncryptor = new MasterKeyXmlEncryptor(box);
}

/// <summary>Antiforgery: the X-CSRF-TOKEN header for scripts, a host-only SameSite=Strict cookie.</summary>
internal sealed class AntiforgerySetup(IOptions<SessionOptions> sessions, IHostEnvironment environment) : IConfigureOptions<AntiforgeryOptions>
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public void Configure(AntiforgeryOptions options)
    {
        var secure = sessions.Value.SecureCookies ?? environment.IsProduction();
        options.HeaderName = HeaderName;
        options.Cookie.Name = secure ? "__Host-bastion.csrf" : "bastion.csrf";
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.HttpOnly = true;
        options.Cookie.Path = "/";
        options.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        // The security-headers middleware already sends X-Frame-Options: DENY on every response.
        options.SuppressXFrameOptionsHeader = true;
    }
}

/// <summary>
/// CORS from <c>Bastion:Cors</c>: exact origins only; an origin not listed gets no CORS headers at all, so the
/// browser blocks the response (the request Origin is never echoed back unchecked).
/// </summary>
internal sealed class CorsSetup(IOptions<CorsSettings> settings) : IConfigureOptions<CorsOptions>
{
    public void Configure(CorsOptions options)
    {
        var cors = settings.Value;
        options.AddDefaultPolicy(policy =>
        {
            policy.WithOrigins([.. cors.AllowedOrigins])
                .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("Content-Type", "Authorization", AntiforgerySetup.HeaderName)
                .WithExposedHeaders("Retry-After", "WWW-Authenticate")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            if (cors.AllowCredentials && !cors.AllowedOrigins.Contains("*"))
            {
                policy.AllowCredentials();
            }
        });
    }
}

/// <summary>
/// X-Forwarded-For/-Proto are believed only from <c>Bastion:Network:TrustedProxies</c>. The framework trusts
/// loopback by default; that default is cleared so that nothing is believed unless configured.
/// </summary>
internal sealed class ForwardedHeadersSetup(IOptions<NetworkOptions> network) : IConfigureOptions<ForwardedHeadersOptions>
{
    public void Configure(ForwardedHeadersOptions options)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The obsolete list still carries the loopback default and is still consulted.
        options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
        foreach (var entry in network.Value.TrustedProxies)
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else if (System.Net.IPNetwork.TryParse(entry, out var range))
            {
                options.KnownIPNetworks.Add(range);
            }
        }

        // No hop limit: the chain is walked from the nearest hop while each hop is a trusted proxy, and the first
        // untrusted address is the client, however many proxies a range covers.
        options.ForwardLimit = null;
    }
}

internal sealed class HstsSetup(IOptions<NetworkOptions> network) : IConfigureOptions<HstsOptions>
{
    public void Configure(HstsOptions options)
    {
        options.MaxAge = network.Value.HstsMaxAge;
        options.IncludeSubDomains = true;
    }
}

internal sealed class KestrelSetup(IOptions<NetworkOptions> network) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        options.AddServerHeader = false;
        options.Limits.MaxRequestBodySize = network.Value.MaxRequestBodyBytes;
        options.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
    }
}
