using Bastion.Hosting;
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
    /// validation, the sender (SMTP when <c>Smtp:Host</c> is set, otherwise the pickup directory), the background
    /// <see cref="IEmailOutbox"/> and the <see cref="EmailTemplates"/>.
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
        services.TryAddSingleton<IEmailSender>(provider =>
            string.IsNullOrWhiteSpace(provider.GetRequiredService<IOptions<EmailOptions>>().Value.Smtp.Host)
                ? ActivatorUtilities.CreateInstance<PickupDirectoryEmailSender>(provider)
                : ActivatorUtilities.CreateInstance<SmtpEmailSender>(provider));
        services.TryAddSingleton<EmailOutbox>();
        services.TryAddSingleton<IEmailOutbox>(provider => provider.GetRequiredService<EmailOutbox>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EmailOutbox>(provider => provider.GetRequiredService<EmailOutbox>()));
        services.TryAddSingleton<EmailTemplates>();
        return services;
    }
}
