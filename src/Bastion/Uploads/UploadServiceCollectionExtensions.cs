using Bastion.Hosting;
using Bastion.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Uploads;

internal static class UploadServiceCollectionExtensions
{
    /// <summary>Registers upload validation and storage with options from <paramref name="section"/> (<c>Bastion:Uploads</c>).</summary>
    public static IServiceCollection AddBastionUploads(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<BastionOptions>();
        services.AddOptions<UploadOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<UploadOptions>, UploadOptionsDefaults>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UploadOptions>, UploadOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IVirusScanner, ClamAvScanner>();
        services.TryAddSingleton(CreateStore);
        services.TryAddSingleton<UploadValidator>();
        return services;
    }

    private static UploadStore CreateStore(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<UploadOptions>>().Value;
        var time = provider.GetRequiredService<TimeProvider>();
        IUploadBlobStore blobs = options.Store == UploadStoreKind.Database
            ? new DatabaseUploadStore(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value, time)
            : new DirectoryUploadStore(options.StorageDirectory!, time);
        return new UploadStore(blobs, new UploadTemporaryFiles(options.StorageDirectory!), provider.GetRequiredService<ILogger<UploadStore>>());
    }
}
