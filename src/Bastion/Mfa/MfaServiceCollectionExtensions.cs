using Bastion.Encryption;
using Bastion.Hosting;
using Bastion.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bastion.Mfa;

internal static class MfaServiceCollectionExtensions
{
    /// <summary>
    /// Registers the MFA building blocks with options from <paramref name="section"/> (<c>Bastion:Mfa</c>). Relies on
    /// the state store, the master key and <see cref="FieldCipher"/> registered by <c>AddBastion</c>.
    /// </summary>
    public static IServiceCollection AddBastionMfa(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<MfaOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MfaOptions>, MfaOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MfaOptions>>().Value;
            return new Totp(options.Algorithm, options.Digits);
        });
        services.TryAddSingleton<TotpReplayGuard>();
        services.TryAddSingleton<TotpVerifier>();
        services.TryAddSingleton<TotpSecretProtector>();
        services.AddEncryptedColumn(TotpSecretProtector.Column);

        // Each hash gets its own subkey of the master key (HKDF), so neither key can stand in for the other.
        services.TryAddSingleton(provider => new RecoveryCodes(provider.GetRequiredService<MasterKey>().Derive("mfa:recovery-codes")));
        services.TryAddSingleton(provider => new EmailOtp(
            provider.GetRequiredService<IStateStore>(),
            provider.GetRequiredService<IOptions<MfaOptions>>(),
            provider.GetRequiredService<MasterKey>().Derive("mfa:email-codes"),
            provider.GetRequiredService<IOptions<StateOptions>>().Value.KeyPrefix));
        services.TryAddSingleton<RecentAuthentication>();
        services.TryAddSingleton<MfaChallenges>();
        services.TryAddSingleton<SecondFactorGuard>();
        services.TryAddSingleton<MfaEmailSendLimit>();
        services.TryAddScoped<SecondFactors>();
        services.TryAddScoped<MfaEnrolment>();
        services.TryAddScoped<MfaSignIn>();
        services.TryAddScoped<Reauthentication>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, RecentAuthenticationHandler>());
        return services;
    }
}
