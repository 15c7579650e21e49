using Bastion.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bastion.IntegrationTests.Storage;

public sealed class SqliteMaintenanceTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Optimize_GathersSqlitesPlannerStatistics()
    {
        using (var client = _host.CreateClient())
        {
            await client.SignUpAndLoginAsync();
        }

        await _host.Services.GetRequiredService<SqliteMaintenance>().OptimizeAsync();

        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BastionDbContext>();
        if (TestEnvironment.UsePostgres)
        {
            // PostgreSQL keeps its own statistics; the maintenance leaves it alone.
            return;
        }

        var statistics = await db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE name = 'sqlite_stat1'").SingleAsync();
        Assert.Equal(1, statistics);
    }
}
