using System.Diagnostics;
using Npgsql;

namespace Bastion.FaultTests.Cluster;

/// <summary>The throw-away PostgreSQL cluster of scripts/faults.sh: restarted with pg_ctl, read for the audit checks.</summary>
internal sealed class PostgresServer(FaultEnvironment environment)
{
    public const string Database = "bastion_faults";
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The nodes' connection string: the cluster's own user, in the suite's database.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(environment.PostgresAdmin) { Database = Database }.ConnectionString;

    public async Task CreateDatabaseAsync()
    {
        await using var admin = new NpgsqlConnection(environment.PostgresAdmin);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE); CREATE DATABASE {Database}", admin);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// <c>pg_ctl restart -m fast</c> (clients disconnected, a clean shutdown) or <c>-m immediate</c> (no shutdown
    /// checkpoint, crash recovery at start). Returns when the server accepts connections again.
    /// </summary>
    public async Task RestartAsync(string mode)
    {
        var pgCtl = Path.Combine(environment.PostgresBin, "pg_ctl");
        string[] arguments = ["restart", "-D", environment.PostgresData, "-m", mode, "-w", "-t", "60", "-l", environment.PostgresLog];
        // PostgreSQL refuses to run as root; as root the cluster belongs to another system user.
        var (file, argv) = environment.PostgresOsUser is { } user ? ("runuser", (string[])["-u", user, "--", pgCtl, .. arguments]) : (pgCtl, arguments);
        var (exitCode, output) = await CommandLine.RunAsync(file, argv, RestartTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl restart -m {mode} failed: {output}");
        }

        await WaitUntilServingAsync();
    }

    private async Task WaitUntilServingAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < RestartTimeout)
            {
                await Task.Delay(20);
            }
        }
    }
}
