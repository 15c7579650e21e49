using System.Data.Common;
using Bastion.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Bastion.IntegrationTests.Storage;

/// <summary>The versioned SQL migrations, on whichever provider this pass runs.</summary>
public sealed class SchemaMigratorTests : IAsyncLifetime
{
    private TestStorage _storage = null!;
    private DatabaseProvider _provider;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        _provider = TestEnvironment.UsePostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        _connectionString = _provider == DatabaseProvider.Postgres
            ? _storage.Settings["Bastion:Database:ConnectionString"]!
            : $"Data Source={Path.Combine(_storage.Directory, "bastion.db")};Default Timeout=30;Pooling=False";
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Migrate_Twice_AppliesEachScriptOnce()
    {
        await NewMigrator().MigrateAsync(CancellationToken.None);
        await NewMigrator().MigrateAsync(CancellationToken.None);

        Assert.Equal(SchemaMigrator.LoadScripts(_provider).Count, await CountAsync("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(5, await CountAsync("SELECT COUNT(*) FROM roles"));
    }

    [Fact]
    public async Task Migrate_FromSeveralNodesAtOnce_AppliesEachScriptOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => NewMigrator().MigrateAsync(CancellationToken.None))));

        Assert.Equal(SchemaMigrator.LoadScripts(_provider).Count, await CountAsync("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(5, await CountAsync("SELECT COUNT(*) FROM roles"));
    }

    [Fact]
    public async Task Migrate_AfterAnAppliedScriptWasEdited_RefusesToStart()
    {
        await NewMigrator().MigrateAsync(CancellationToken.None);
        await ExecuteAsync("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NewMigrator().MigrateAsync(CancellationToken.None));
        Assert.Contains("was changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_AreNumberedWithoutGapsAndExistForBothProviders()
    {
        var sqlite = SchemaMigrator.LoadScripts(DatabaseProvider.Sqlite).Select(s => (s.Version, s.Name)).ToList();
        var postgres = SchemaMigrator.LoadScripts(DatabaseProvider.Postgres).Select(s => (s.Version, s.Name)).ToList();

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, postgres);
        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(s => s.Version));
    }

    private SchemaMigrator NewMigrator() => new(_provider, _connectionString, NullLogger<SchemaMigrator>.Instance);

    private DbConnection Connect() => _provider == DatabaseProvider.Postgres
        ? new NpgsqlConnection(_connectionString)
        : new SqliteConnection(_connectionString);

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
