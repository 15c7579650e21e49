using Microsoft.Extensions.DependencyInjection;

namespace Bastion.Encryption;

/// <summary>Declares the columns <see cref="FieldCipher"/> writes, for rotation, the key report and the start-up check.</summary>
public static class EncryptedColumnServiceCollectionExtensions
{
    /// <summary>
    /// Declares <paramref name="column"/>. Every capability or host that stores a <see cref="FieldCipher"/> value calls
    /// this where it registers its services; declaring the same <c>table.column</c> twice keeps the first.
    /// </summary>
    public static IServiceCollection AddEncryptedColumn(this IServiceCollection services, EncryptedColumn column)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(column);

        // Not TryAddEnumerable: it tells instances apart by type, and every column is an EncryptedColumn.
        services.AddSingleton(column);
        return services;
    }
}
