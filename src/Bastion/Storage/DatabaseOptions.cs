namespace Bastion.Storage;

/// <summary>Which relational database holds accounts and other durable state (<c>Bastion:Database</c>).</summary>
public sealed class DatabaseOptions
{
    /// <summary><see cref="DatabaseProvider.Sqlite"/> (a file under the data directory) or <see cref="DatabaseProvider.Postgres"/>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The provider's connection string; for SQLite it defaults to <c>{DataDirectory}/bastion.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
