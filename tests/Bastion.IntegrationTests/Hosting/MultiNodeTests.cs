using System.Net;

namespace Bastion.IntegrationTests.Hosting;

/// <summary>Several nodes on one PostgreSQL and one Redis share every piece of state.</summary>
public sealed class MultiNodeTests
{
    [ProductionStorageFact]
    public async Task SessionFromOneNode_IsHonouredByTheOther_AndLogoutOnEitherEndsItOnBoth()
    {
        await using var storage = await TestStorage.CreateAsync();
        await using var nodeA = await TestHost.StartAsync(storage: storage);
        await using var nodeB = await TestHost.StartAsync(storage: storage);
        using var onA = nodeA.CreateClient();
        var email = await onA.SignUpAndLoginAsync();
        using var onB = nodeB.CreateClient();
        onB.Cookies.Add(nodeB.Address, new Cookie("bastion", onA.Cookie("bastion")!.Value));

        var me = await TestClient.ExpectAsync(await onB.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
        Assert.Equal(email, me.GetProperty("email").GetString());

        // The CSRF token comes from node A; node B accepts it because the data-protection key ring is shared.
        var token = await onA.UseCsrfTokenAsync();
        onB.Http.DefaultRequestHeaders.Add("X-CSRF-TOKEN", token);
        onB.Cookies.Add(nodeB.Address, new Cookie("bastion.csrf", onA.Cookie("bastion.csrf")!.Value));
        await TestClient.ExpectAsync(await onB.Http.PostAsync("/api/auth/logout", null), HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.Http.GetAsync("/api/auth/me")).StatusCode);
    }

    [ProductionStorageFact]
    public async Task TwoServerProcesses_ShareSessionsAndRevocation()
    {
        await using var storage = await TestStorage.CreateAsync();
        var settings = storage.Settings.Where(s => s.Key != "Bastion:DataDirectory").ToDictionary();
        settings["Bastion:DataDirectory"] = Path.Combine(storage.Directory, "process-a");
        await using var processA = await ServerProcess.StartAsync(settings);
        settings["Bastion:DataDirectory"] = Path.Combine(storage.Directory, "process-b");
        await using var processB = await ServerProcess.StartAsync(settings);

        using var laptop = processA.CreateClient();
        var email = await laptop.SignUpAndLoginAsync();
        using var phone = processB.CreateClient();
        await phone.LoginAsync(email);

        var sessions = await TestClient.ExpectAsync(await phone.Http.GetAsync("/api/account/sessions"), HttpStatusCode.OK);
        Assert.Equal(2, sessions.GetArrayLength());

        await phone.UseCsrfTokenAsync();
        await TestClient.ExpectAsync(await phone.Http.PostAsync("/api/account/sessions/revoke-others", null), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.Http.GetAsync("/api/auth/me")).StatusCode);
        await TestClient.ExpectAsync(await phone.Http.GetAsync("/api/auth/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task NodesStartingAtOnce_MigrateTheSchemaExactlyOnce()
    {
        await using var storage = await TestStorage.CreateAsync();
        var logs = new CapturingLoggerProvider();
        var nodes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestHost.StartAsync(storage: storage, configure: builder => builder.Logging.AddProvider(logs))));
        try
        {
            // Every node logs each migration it applies (SchemaMigrator, MigrationApplied); together they must have
            // applied each recorded migration once, however the four raced for the lock.
            var applied = logs.Entries.Where(e => e.Contains("Applied schema migration", StringComparison.Ordinal)).ToList();
            var recorded = await CountAsync(nodes[0], "SELECT COUNT(*) FROM schema_migrations");
            Assert.True(recorded > 0);
            Assert.Equal(recorded, applied.Count);
            Assert.Equal(applied.Count, applied.Distinct(StringComparer.Ordinal).Count());

            using var client = nodes[3].CreateClient();
            await client.SignUpAndLoginAsync();
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static async Task<long> CountAsync(TestHost host, string sql)
    {
        var database = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Bastion.Storage.DatabaseOptions>>().Value;
        await using System.Data.Common.DbConnection connection = TestEnvironment.UsePostgres
            ? new Npgsql.NpgsqlConnection(database.ConnectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
