using Bastion.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bastion.Encryption;

internal static class EncryptionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FieldCipher"/>, <see cref="BlindIndex"/> and the re-encryption job, binding <paramref name="section"/>
    /// (normally <c>Bastion:Encryption</c>). Options are validated at start, so a node with missing or weak keys
    /// refuses to run; in Development an empty section is filled with keys derived from the master key. Uses
    /// TryAdd only, so registrations made before this call win.
    /// </summary>
    public static IServiceCollection AddBastionEncryption(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<FieldEncryptionOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<FieldEncryptionOptions>, FieldEncryptionDevelopmentKeys>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FieldEncryptionOptions>, FieldEncryptionOptionsValidator>());

        // AddBastion registers the master key too; here so that this extension stands on its own.
        services.TryAddSingleton<MasterKey>();
        services.TryAddSingleton<FieldCipher>();
        services.TryAddSingleton<BlindIndex>();

        // The re-encryption job and the key report; the columns come from AddEncryptedColumn wherever they are declared.
        services.TryAddSingleton<EncryptedColumns>();
        services.TryAddScoped<IEncryptedColumnStore, EncryptedColumnStore>();
        services.TryAddScoped<FieldReEncryption>();
        return services;
    }
}
