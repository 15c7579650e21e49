using Bastion.Hosting;
using Bastion.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Email;

internal static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Registers outgoing e-mail from <paramref name="section"/> (<c>Bastion:Email</c>): the options and their
    /// validation, the sender (SMTP when <c>Smtp:Host</c> is set, otherwise the pickup directory), the
    /// <see cref="IEmailOutbox"/> in the database with the worker that sends from it on every node, and the
    /// <see cref="EmailTemplates"/>. The outbox needs Bastion's database (<c>Bastion:Database</c>, with migration 0007)
    /// and <see cref="SecretBox"/>.
    /// </summary>
    public static IServiceCollection AddBastionEmail(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<BastionOptions>();
        services.AddOptions<EmailOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EmailOptions>, EmailOptionsDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MasterKey>();
        services.TryAddSingleton<SecretBox>();
        services.TryAddSingleton<IEmailSender>(provider =>
            string.IsNullOrWhiteSpace(provider.GetRequiredService<IOptions<EmailOptions>>().Value.Smtp.Host)
                ? ActivatorUtilities.CreateInstance<PickupDirectoryEmailSender>(provider)
                : ActivatorUtilities.CreateInstance<SmtpEmailSender>(provider));
        services.TryAddSingleton(provider => OutboxTable.From(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.TryAddSingleton<OutboxContent>();
        services.TryAddSingleton<EmailOutboxWorker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EmailOutboxWorker>(provider => provider.GetRequiredService<EmailOutboxWorker>()));
        services.TryAddSingleton<IEmailOutbox, EmailOutbox>();
        services.TryAddSingleton<EmailTemplates>();
        return services;
    }
}
