using Bastion.Encryption;
using Bastion.Hosting;
using Bastion.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bastion.Server.Domain;

/// <summary>The sample domain: its tables (as a migration component), its context and services, and its APIs.</summary>
internal static class DomainServiceCollectionExtensions
{
    public static IServiceCollection AddSampleDomain(this IServiceCollection services)
    {
        services.AddBastionMigrations("domain", typeof(DomainDbContext).Assembly, "Bastion.Server.Domain.Migrations");
        services.AddDbContextPool<DomainDbContext>((provider, builder) => builder.UseBastionDatabase(provider));
        services.AddScoped<EquipmentService>();
        foreach (var column in EquipmentService.EncryptedColumns)
        {
            services.AddEncryptedColumn(column);
        }

        return services;
    }

    public static IEndpointRouteBuilder MapSampleDomain(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapEquipmentApi();
        endpoints.MapEquipmentFilesApi(endpoints.ServiceProvider.GetRequiredService<IOptions<Bastion.Uploads.UploadOptions>>().Value.MaxBytes);
        endpoints.MapReportsApi();
        return endpoints;
    }
}
