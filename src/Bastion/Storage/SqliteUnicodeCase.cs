using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bastion.Storage;

/// <summary>
/// SQLite's built-in <c>lower()</c> and <c>upper()</c> change ASCII letters only (without the ICU extension), so a
/// case-insensitive search written as <c>lower(name) LIKE 'über%'</c> would never find "Über", even typed exactly
/// that way. Every SQLite connection gets the invariant culture's versions instead, as PostgreSQL's behave.
/// </summary>
internal sealed class SqliteUnicodeCase : DbConnectionInterceptor
{
    private static readonly ConditionalWeakTable<SqliteConnection, object> Registered = [];

    public static SqliteUnicodeCase Instance { get; } = new();

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Register(connection);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Register(connection);
        return ValueTask.FromResult(result);
    }

    // A function created on a connection is kept by it and installed again each time it opens: once per connection.
    private static void Register(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite && !Registered.TryGetValue(sqlite, out _))
        {
            sqlite.CreateFunction("lower", (string? value) => value?.ToLowerInvariant(), isDeterministic: true);
            sqlite.CreateFunction("upper", (string? value) => value?.ToUpperInvariant(), isDeterministic: true);
            Registered.AddOrUpdate(sqlite, Instance);
        }
    }
}
