using Bastion.Accounts;
using Bastion.Encryption;
using Bastion.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Hosting;

/// <summary>
/// Brings the schema up to date, checks that the configured encryption keys cover every stored value, and creates
/// the bootstrap administrator before the server accepts requests (hosted services start before Kestrel listens).
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
        await EnsureKeysCoverDatabaseAsync(cancellationToken);

        var admin = bootstrap.Value;
        if (admin.AdminEmail is not null && admin.AdminPassword is not null)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AccountService>()
                .BootstrapAdminAsync(admin.AdminEmail, admin.AdminPassword, admin.AdminName, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // A value under a key version that is no longer configured cannot be read: refuse to start, saying which version
    // and where, rather than fail at each read of it. One grouped scan per encrypted column (KeyCoverage).
    private async Task EnsureKeysCoverDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var status = await scope.ServiceProvider.GetRequiredService<FieldReEncryption>().StatusAsync(cancellationToken);
        if (KeyCoverage.Refusal(status) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }
    }
}
