using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bastion.Recovery;

internal static class RecoveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers password reset and address verification with options from <paramref name="section"/>
    /// (<c>Bastion:Recovery</c>), validated at start. Relies on the storage, state store, e-mail and token services
    /// registered by <c>AddBastion</c>.
    /// </summary>
    public static IServiceCollection AddBastionRecovery(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<RecoveryOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecoveryOptions>, RecoveryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RecoveryMailLimits>();
        services.TryAddScoped<AccountTokens>();
        services.TryAddScoped<PasswordReset>();
        services.TryAddScoped<EmailVerification>();
        services.TryAddScoped<EmailChange>();
        return services;
    }
}
