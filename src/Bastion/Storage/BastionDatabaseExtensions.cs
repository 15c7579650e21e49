using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bastion.Storage;

/// <summary>Points an Entity Framework context at Bastion's database, the way Bastion's own contexts use it.</summary>
public static class BastionDatabaseExtensions
{
    /// <summary>
    /// Bastion's database from <see cref="DatabaseOptions"/>, with the interceptors Bastion registers (the audit
    /// outbox's among them): use this in any context through which audited changes are written.
    /// </summary>
    public static DbContextOptionsBuilder UseBastionDatabase(this DbContextOptionsBuilder builder, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return builder.UseBastionDatabase(services.GetRequiredService<IOptions<DatabaseOptions>>().Value)
            .AddInterceptors(services.GetServices<IInterceptor>())
            .AddInterceptors(NoSavepointsInterceptor.Instance);
    }

    /// <summary>PostgreSQL, or SQLite with Unicode-aware <c>lower()</c> and <c>upper()</c> (<see cref="SqliteUnicodeCase"/>).</summary>
    /// <remarks>
    /// No retrying execution strategy (<c>EnableRetryOnFailure</c>) on purpose: it would replay a write whose
    /// commit may have succeeded before the connection broke, duplicating it. A transient failure surfaces instead,
    /// and the request answers 503 with <c>Retry-After</c> (<see cref="Protection.DependencyFailure"/>): the client,
    /// who knows whether its request may be repeated, decides.
    /// </remarks>
    public static DbContextOptionsBuilder UseBastionDatabase(this DbContextOptionsBuilder builder, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        return database.Provider == DatabaseProvider.Postgres
            ? builder.UseNpgsql(database.ConnectionString)
            : builder.UseSqlite(database.ConnectionString).AddInterceptors(SqliteUnicodeCase.Instance);
    }
}
