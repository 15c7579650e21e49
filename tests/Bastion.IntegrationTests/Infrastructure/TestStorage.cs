using Npgsql;

namespace Bastion.IntegrationTests.Infrastructure;

/// <summary>A fresh, isolated database and state namespace for one test host (or one group of nodes).</summary>
internal sealed class TestStorage : IAsyncDisposable
{
    private readonly string? _postgresDatabase;

    private TestStorage(Dictionary<string, string?> settings, string directory, string? postgresDatabase)
    {
        Settings = settings;
        Directory = directory;
        _postgresDatabase = postgresDatabase;
    }

    /// <summary>Configuration keys that point a host at this storage.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The data directory (SQLite file, master key).</summary>
    public string Directory { get; }

    public static async Task<TestStorage> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bastion-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var settings = new Dictionary<string, string?>
        {
            ["Bastion:DataDirectory"] = directory,

            // Tests sign in many times from one address; the abuse tests switch these protections back on.
            ["Bastion:Abuse:RateLimits:Enabled"] = "false",
            ["Bastion:Abuse:Lockout:MaxFailures"] = "1000",
            ["Bastion:Abuse:Lockout:Account:MaxFailures"] = "1000",
            ["Bastion:Abuse:Lockout:DelayBase"] = "00:00:00",
            ["Bastion:Abuse:IpBlocking:Allowlist:0"] = "127.0.0.0/8",
        };
        if (!TestEnvironment.UsePostgres)
        {
            return new TestStorage(settings, directory, null);
        }

        var database = "bastion_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(TestEnvironment.PostgresAdmin))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdmin) { Database = database };
        settings["Bastion:Database:Provider"] = "Postgres";
        settings["Bastion:Database:ConnectionString"] = builder.ConnectionString;
        settings["Bastion:State:Provider"] = "Redis";
        settings["Bastion:State:Redis"] = TestEnvironment.Redis;
        settings["Bastion:State:KeyPrefix"] = $"test:{database}:";
        settings["Bastion:Secrets:MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return new TestStorage(settings, directory, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a stopping host; the temp folder is cleaned by the OS.
        }
    }
}
