using System.Text.Json.Serialization;
using Bastion.Abuse;
using Bastion.Access;
using Bastion.Accounts;
using Bastion.Audit;
using Bastion.Accounts.Passwords;
using Bastion.Csv;
using Bastion.Encryption;
using Bastion.Logging;
using Bastion.Mfa;
using Bastion.Email;
using Bastion.Protection;
using Bastion.Recovery;
using Bastion.Sessions;
using Bastion.State;
using Bastion.Storage;
using Bastion.Tokens;
using Bastion.Uploads;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bastion.Hosting;

/// <summary>Registers Bastion: <c>builder.Services.AddBastion(builder.Configuration)</c>.</summary>
public static class BastionServiceCollectionExtensions
{
    public static IServiceCollection AddBastion(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);

        // First of Bastion's hosted services, so that it stops last: see AuditQueueDrain.
        services.AddHostedService<AuditQueueDrain>();
        services.AddBastionOptions(configuration);
        services.AddBastionPasswords(configuration.GetSection("Bastion:Passwords"));
        services.AddBastionStorage();
        services.AddBastionEncryption(configuration.GetSection("Bastion:Encryption"));
        services.AddBastionUploads(configuration.GetSection("Bastion:Uploads"));
        services.AddBastionCsv(configuration.GetSection("Bastion:Csv"));
        services.AddBastionAudit(configuration.GetSection("Bastion:Audit"));
        services.AddBastionMfa(configuration.GetSection("Bastion:Mfa"));
        services.AddBastionEmail(configuration.GetSection("Bastion:Email"));
        services.AddBastionRecovery(configuration.GetSection(RecoveryOptions.SectionName));
        services.AddBastionState();
        services.AddBastionSessions();
        services.AddBastionTokens();
        services.AddBastionAccessControl();
        services.AddBastionAbuseProtection();
        services.AddBastionProtection();

        services.TryAddScoped<AccountService>();
        services.TryAddScoped<PasswordSignIn>();
        services.TryAddScoped<SignInCompletion>();
        services.TryAddScoped<AccountDeletion>();
        services.TryAddScoped<PersonalDataExport>();
        services.TryAddScoped<SessionStatistics>();
        services.AddOptions<FileLogOptions>().Bind(configuration.GetSection("Bastion:Logging:File"));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Logging.ILoggerProvider, RollingFileLoggerProvider>());

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<StateStoreHealthCheck>("state", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Adds a component's SQL migrations (embedded as <c>{resourcePrefix}.{Sqlite|Postgres}.NNNN_name.sql</c>), applied
    /// after Bastion's own at start-up under the same lock.
    /// </summary>
    public static IServiceCollection AddBastionMigrations(this IServiceCollection services, string component, System.Reflection.Assembly assembly, string resourcePrefix)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(new MigrationSource(component, assembly, resourcePrefix));
        return services;
    }

    private static void AddBastionOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BastionOptions>().Bind(configuration.GetSection("Bastion"));
        services.AddValidatedOptions<SecretsOptions, SecretsOptionsValidator>(configuration, "Bastion:Secrets");
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(configuration, "Bastion:Database");
        services.AddValidatedOptions<StateOptions, StateOptionsValidator>(configuration, "Bastion:State");
        services.AddValidatedOptions<SessionOptions, SessionOptionsValidator>(configuration, "Bastion:Sessions");
        services.AddValidatedOptions<NetworkOptions, NetworkOptionsValidator>(configuration, "Bastion:Network");
        services.AddValidatedOptions<CorsSettings, CorsSettingsValidator>(configuration, "Bastion:Cors");
        services.AddValidatedOptions<BootstrapOptions, BootstrapOptionsValidator>(configuration, "Bastion:Bootstrap");
        services.AddValidatedOptions<TokenOptions, TokenOptionsValidator>(configuration, "Bastion:Tokens");
        services.AddValidatedOptions<AbuseOptions, AbuseOptionsValidator>(configuration, "Bastion:Abuse");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AbuseOptions>>(new RetiredRateLimitKeys(configuration)));
        services.AddValidatedOptions<ShutdownOptions, ShutdownOptionsValidator>(configuration, "Bastion:Shutdown");
        services.AddValidatedOptions<TransportOptions, TransportOptionsValidator>(configuration, "Bastion:Transport");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.Extensions.Hosting.HostOptions>, HostShutdownSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<DatabaseOptions>, DatabaseOptionsDefaults>());
    }

    private static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }

    private static void AddBastionStorage(this IServiceCollection services)
    {
        services.AddDbContextPool<BastionDbContext>((provider, builder) => builder.UseBastionDatabase(provider));
        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<Idempotency.IdempotencyKeyCleanup>();
        services.TryAddSingleton<SqliteMaintenance>();
        services.AddHostedService(provider => provider.GetRequiredService<SqliteMaintenance>());
        services.AddSingleton(MigrationSource.Bastion);

        services.TryAddSingleton<MasterKey>();
        services.TryAddSingleton<SecretBox>();
        services.AddDataProtection().SetApplicationName("Bastion").PersistKeysToDbContext<BastionDbContext>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>, KeyRingEncryptionSetup>());
    }

    private static void AddBastionState(this IServiceCollection services)
    {
        services.AddHostedService<SharedStateSync>();
        services.AddHostedService<RedisPersistenceCheck>();
        services.TryAddSingleton<IStateStore>(provider =>
        {
            var state = provider.GetRequiredService<IOptions<StateOptions>>().Value;
            return state.Provider == StateProvider.Redis
                ? new RedisStateStore(provider.GetRequiredService<IOptions<StateOptions>>())
                : new MemoryStateStore(provider.GetRequiredService<TimeProvider>());
        });
    }

    private static void AddBastionSessions(this IServiceCollection services)
    {
        services.TryAddSingleton<SessionRecordProtector>();
        services.TryAddSingleton<SessionStore>();
        services.TryAddSingleton<SessionCookie>();
    }

    private static void AddBastionTokens(this IServiceCollection services)
    {
        services.TryAddSingleton<SigningKeyRing>();
        services.TryAddSingleton<TokenRevocations>();
        services.TryAddSingleton<AccessTokenIssuer>();
        services.TryAddSingleton<RefreshTokenSuccessors>();
        services.TryAddSingleton<AccessTokenValidator>();
        services.TryAddScoped<TokenService>();
        services.AddHostedService<SigningKeyMaintenance>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISharedState, TokenRevocations>(provider => provider.GetRequiredService<TokenRevocations>()));

        // One scheme serves every endpoint: a bearer token when the request carries one, the session cookie otherwise.
        services.AddAuthentication(BastionAuthentication.Scheme)
            .AddPolicyScheme(BastionAuthentication.Scheme, "Session cookie or bearer token", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerDefaults.AuthenticationScheme
                    : SessionDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionDefaults.AuthenticationScheme, null)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerDefaults.AuthenticationScheme, null);

        // Bastion's endpoints name their scheme, so they work in a host whose default scheme is another one.
        services.AddAuthorizationBuilder().AddPolicy(BastionAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(BastionAuthentication.Scheme)
            .RequireAuthenticatedUser());
    }

    private static void AddBastionAccessControl(this IServiceCollection services)
    {
        services.TryAddSingleton<AccessSubjectStore>();
        services.TryAddSingleton<AccessPolicy>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccessCondition, OwnerOnlyCondition>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccessCondition, SameDepartmentCondition>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccessCondition, DepartmentCondition>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, PermissionAuthorizationHandler>());
        services.TryAddScoped<UserAdministration>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISharedState, AccessSubjectStore>(provider => provider.GetRequiredService<AccessSubjectStore>()));
    }

    private static void AddBastionAbuseProtection(this IServiceCollection services)
    {
        services.TryAddSingleton<IpBlockList>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISharedState, IpBlockList>(provider => provider.GetRequiredService<IpBlockList>()));
        services.TryAddSingleton<SignInGuard>();
        services.TryAddSingleton<DeviceCookies>();
        services.TryAddSingleton<RateBudgetResolver>();
        services.TryAddSingleton<BastionRateLimiter>();
        services.AddHostedService<RateBudgetCheck>();
        Microsoft.AspNetCore.Builder.RateLimiterServiceCollectionExtensions.AddRateLimiter(services, _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>, RateLimiterSetup>());
    }

    private static void AddBastionProtection(this IServiceCollection services)
    {
        services.AddAntiforgery();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AntiforgeryOptions>, AntiforgerySetup>());
        services.TryAddSingleton<IAntiforgeryAdditionalDataProvider, SessionBoundAntiforgeryData>();
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(options => options.Filters.Add<AntiforgeryFailureFilter>());

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Extensions.TryAdd("code", ErrorCodes.ForStatus(status));
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<BastionExceptionHandler>();

        // Unknown JSON fields are refused rather than ignored: a client that sends "role" or "ownerId" learns at
        // once that it has no effect (mass-assignment defence, OWASP API Security Top 10 API3). Duplicate keys are
        // refused too, and names must match exactly, so no proxy or log in front can read another value than we do.
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.PropertyNameCaseInsensitive = false;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        });
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        services.AddCors();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>, CorsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>, ForwardedHeadersSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>, HstsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>, KestrelSetup>());
    }
}
