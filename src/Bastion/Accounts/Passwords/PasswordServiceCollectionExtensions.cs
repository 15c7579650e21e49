using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Accounts.Passwords;

internal static class PasswordServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPasswordHasher"/> and <see cref="PasswordPolicy"/>, binding the <c>Hashing</c> and
    /// <c>Policy</c> children of <paramref name="section"/> (normally <c>Bastion:Passwords</c>), the policy starting
    /// from the rules of its <c>Profile</c> (<see cref="PasswordProfiles"/>). Options are
    /// validated at start, so a node with weak parameters refuses to run. Uses TryAdd only, so registrations
    /// made before this call win.
    /// </summary>
    public static IServiceCollection AddBastionPasswords(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<PasswordHashingOptions>().Bind(section.GetSection("Hashing")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasswordHashingOptions>, PasswordHashingOptionsValidator>());
        // The profile first, then the Policy section on top of it; the validator refuses a Policy that leaves the profile.
        services.AddOptions<PasswordPolicyOptions>()
            .Configure(options => PasswordProfiles.Apply(options, section["Profile"]))
            .Bind(section.GetSection("Policy"))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasswordPolicyOptions>, PasswordPolicyOptionsValidator>());

        services.TryAddSingleton<PasswordHasher>();
        services.TryAddSingleton<IPasswordHasher>(sp => sp.GetRequiredService<PasswordHasher>());
        services.TryAddSingleton(_ => CommonPasswords.Embedded);
        services.TryAddSingleton(sp => new PasswordPolicy(
            sp.GetRequiredService<IOptions<PasswordPolicyOptions>>(), sp.GetRequiredService<CommonPasswords>()));
        return services;
    }
}
