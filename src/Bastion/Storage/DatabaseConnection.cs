using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bastion.Storage;

/// <summary>Plain ADO.NET connections to Bastion's database, for work that runs outside an EF Core context.</summary>
internal static class DatabaseConnection
{
    /// <summary>An open connection of <paramref name="provider"/>; disposed again when opening fails.</summary>
    public static async Task<DbConnection> OpenAsync(DatabaseProvider provider, string connectionString, CancellationToken cancellationToken)
    {
        DbConnection connection = provider == DatabaseProvider.Postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
