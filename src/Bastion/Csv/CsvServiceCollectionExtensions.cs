using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bastion.Csv;

internal static class CsvServiceCollectionExtensions
{
    /// <summary>Registers the CSV limits from <paramref name="section"/> (<c>Bastion:Csv</c>) and the exporter.</summary>
    public static IServiceCollection AddBastionCsv(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<CsvOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CsvOptions>, CsvOptionsValidator>());
        services.TryAddSingleton<CsvExporter>();
        return services;
    }
}
