using System.Data.Common;
using System.Net;
using Bastion.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using System.Security.Cryptography.X509Certificates;
using Bastion.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>
/// The real server (Kestrel on a loopback port, the real pipeline and storage) started in the test process.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestStorage? _ownedStorage;

    private TestHost(WebApplication app, Uri address, TestStorage storage, TestStorage? ownedStorage)
    {
        _app = app;
        Address = address;
        Storage = storage;
        _ownedStorage = ownedStorage;
    }

    public Uri Address { get; }

    public TestStorage Storage { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a host; pass <paramref name="storage"/> to make a second node share the first one's state.</summary>
    public static async Task<TestHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        TestStorage? storage = null,
        string environment = "Development",
        X509Certificate2? httpsCertificate = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null)
    {
        var owned = storage is null ? await TestStorage.CreateAsync() : null;
        var shared = storage ?? owned!;
        var all = new Dictionary<string, string?>(shared.Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = BastionServer.Create(["--environment", environment], builder =>
        {
            builder.Configuration.AddInMemoryCollection(all);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    if (httpsCertificate is not null)
                    {
                        listen.UseHttps(httpsCertificate);
                    }
                });
            });
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            configure?.Invoke(builder);
        }, map);

        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }

            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestHost(app, new Uri(address), shared, owned);
    }

    /// <summary>Runs a statement on the host's database directly, as an operator (or an attacker with its file) could.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        var database = Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await using DbConnection connection = TestEnvironment.UsePostgres ? new NpgsqlConnection(database.ConnectionString) : new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Makes every write to the audit outbox fail until disposed (a trigger), as a database that fails part-way through
    /// a transaction would: what is tested is that the change it belongs to is not stored either.
    /// </summary>
    public Task<IAsyncDisposable> RefuseAuditEntriesAsync() => RefuseAsync("INSERT", "audit_outbox");

    /// <summary>
    /// Makes every update of <paramref name="table"/> fail until disposed (a trigger): a database failing part-way
    /// through a unit of work, after the statements before it succeeded.
    /// </summary>
    public Task<IAsyncDisposable> RefuseUpdatesAsync(string table) => RefuseAsync("UPDATE", table);

    private async Task<IAsyncDisposable> RefuseAsync(string statement, string table)
    {
        var name = $"refuse_{Guid.NewGuid():N}";
        await ExecuteSqlAsync(TestEnvironment.UsePostgres
            ? $"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END; $$; " +
              $"CREATE TRIGGER {name} BEFORE {statement} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
            : $"CREATE TRIGGER {name} BEFORE {statement} ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END");
        return new Undo(() => ExecuteSqlAsync(TestEnvironment.UsePostgres ? $"DROP TRIGGER {name} ON {table}; DROP FUNCTION {name}()" : $"DROP TRIGGER {name}"));
    }

    private sealed class Undo(Func<Task> undo) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await undo();
    }

    /// <summary>A client with its own cookie jar, like one browser; <paramref name="from"/> is the loopback address it connects from.</summary>
    public TestClient CreateClient(IPAddress? from = null) => new(Address, from);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownedStorage is not null)
        {
            await _ownedStorage.DisposeAsync();
        }
    }
}
