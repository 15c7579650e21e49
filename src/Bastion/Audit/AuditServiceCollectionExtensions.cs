using Bastion.Csv;
using Bastion.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bastion.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers the audit log from <paramref name="section"/> (<c>Bastion:Audit</c>): its migrations (component
    /// <c>audit</c>), the writer, the reader and exports, the chain verifier and the webhook alert sink. The database
    /// is the one of <see cref="DatabaseOptions"/>; the per-user keys that seal personal fields are wrapped by the
    /// <see cref="Hosting.SecretBox"/> that the rest of Bastion registers.
    /// </summary>
    public static IServiceCollection AddBastionAudit(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<AuditOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.AddSingleton(new MigrationSource("audit", typeof(AuditLog).Assembly, "Bastion.Audit.Migrations"));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => AuditDatabase.From(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.TryAddSingleton<AuditAlertDispatcher>();
        services.TryAddSingleton<AuditUserKeys>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<IAuditLog>(provider => provider.GetRequiredService<AuditLog>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, AuditOutboxInterceptor>());
        services.TryAddSingleton<IAuditReader, AuditReader>();
        services.TryAddSingleton<AuditChainVerifier>(provider => new AuditChainVerifier(provider.GetRequiredService<AuditDatabase>()));
        services.TryAddSingleton<CsvExporter>();
        services.TryAddSingleton<AuditExporter>();

        // Redirects are not followed: a redirect would send the signed alert somewhere it was not configured to go.
        services.AddHttpClient(WebhookAlertSink.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditAlertSink, WebhookAlertSink>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditAlertSink, EmailAlertSink>());
        return services;
    }
}
