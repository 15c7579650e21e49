using Microsoft.EntityFrameworkCore;

namespace Bastion.Storage;

/// <summary>Points an Entity Framework context at Bastion's database, the way Bastion's own contexts use it.</summary>
public static class BastionDatabaseExtensions
{
    /// <summary>PostgreSQL, or SQLite with Unicode-aware <c>lower()</c> and <c>upper()</c> (<see cref="SqliteUnicodeCase"/>).</summary>
    public static DbContextOptionsBuilder UseBastionDatabase(this DbContextOptionsBuilder builder, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        return database.Provider == DatabaseProvider.Postgres
            ? builder.UseNpgsql(database.ConnectionString)
            : builder.UseSqlite(database.ConnectionString).AddInterceptors(SqliteUnicodeCase.Instance);
    }
}
