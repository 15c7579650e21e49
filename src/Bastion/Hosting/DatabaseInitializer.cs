using Bastion.Accounts;
using Bastion.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Hosting;

/// <summary>
/// Brings the schema up to date and creates the bootstrap administrator before the server accepts requests
/// (hosted services start before Kestrel listens).
/// </summary>
internal sealed class DatabaseInitializer(
    IServiceProvider services,
    IOptions<DatabaseOptions> database,
    IOptions<BootstrapOptions> bootstrap,
    IEnumerable<MigrationSource> sources,
    ILoggerFactory loggerFactory) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var migrator = new SchemaMigrator(database.Value.Provider, database.Value.ConnectionString!, sources.ToList(), loggerFactory.CreateLogger<SchemaMigrator>());
        await migrator.MigrateAsync(cancellationToken);

        var admin = bootstrap.Value;
        if (admin.AdminEmail is not null && admin.AdminPassword is not null)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AccountService>()
                .BootstrapAdminAsync(admin.AdminEmail, admin.AdminPassword, admin.AdminName, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
