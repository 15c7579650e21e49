using Microsoft.EntityFrameworkCore;

namespace Bastion.Storage;

/// <summary>
/// How values travel as ADO.NET parameters into Bastion's schema: the representations its EF Core mappings use, so
/// that rows written by plain SQL and by the model read back alike.
/// </summary>
internal static class DatabaseValues
{
    /// <summary>The provider behind an EF Core context.</summary>
    public static DatabaseProvider ProviderOf(DbContext db) => db.Database.IsNpgsql() ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    /// <summary>A point in time: timestamptz (a UTC <see cref="DateTime"/>), or Unix milliseconds on SQLite.</summary>
    public static object Time(DatabaseProvider provider, DateTimeOffset value)
        => provider == DatabaseProvider.Postgres ? value.UtcDateTime : value.ToUnixTimeMilliseconds();

    /// <summary>A user id: uuid, or upper-case text on SQLite (EF Core's GUID format there).</summary>
    public static object UserId(DatabaseProvider provider, Guid value)
        => provider == DatabaseProvider.Postgres ? value : value.ToString("D").ToUpperInvariant();
}
