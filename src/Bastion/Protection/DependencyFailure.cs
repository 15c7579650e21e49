using System.Data.Common;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Bastion.Redis;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bastion.Protection;

/// <summary>
/// Decides whether an exception means that a backing service (the database or the state store) is briefly
/// unavailable, so the request may be retried (503 with <c>Retry-After</c>, RFC 9110 §15.6.4), rather than that
/// the request or the code is wrong. Drivers and EF Core wrap the cause (EF answers a transient
/// <see cref="NpgsqlException"/> with an <see cref="InvalidOperationException"/> or a
/// <c>DbUpdateException</c>), so the whole chain of inner exceptions is searched.
/// </summary>
internal static class DependencyFailure
{
    // Deep enough for EF's wrappers around a driver's exception around a socket's; a cycle cannot loop forever.
    private const int MaxDepth = 8;

    // SQLITE_BUSY and SQLITE_LOCKED (https://www.sqlite.org/rescode.html): another connection holds the lock
    // longer than the busy timeout.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    // Redis error prefixes that mean "not now" (https://redis.io/docs/latest/develop/reference/protocol-spec/#simple-errors):
    // loading the dataset after a restart, a script or module blocking the server, a replica promoted or demoted.
    private static readonly string[] TransientRedisErrors = ["LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN"];

    /// <summary>Whether <paramref name="exception"/>, or anything it wraps, says a backing service is briefly unavailable.</summary>
    public static bool IsTransient(Exception exception) => AnyInChain(exception, IsTransientItself, 0);

    /// <summary>
    /// <see cref="IsTransient(Exception)"/>, or a failure that is transient in the request's circumstances: an
    /// operation cancelled by a deadline while the client is still waiting (a client that went away is not an
    /// outage), or an object disposed because this node is shutting down (another node can serve the retry).
    /// </summary>
    public static bool IsTransient(Exception exception, bool requestAborted, bool shuttingDown)
        => IsTransient(exception)
            || (!requestAborted && AnyInChain(exception, static e => e is OperationCanceledException, 0))
            || (shuttingDown && AnyInChain(exception, static e => e is ObjectDisposedException, 0));

    private static bool AnyInChain(Exception exception, Func<Exception, bool> predicate, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        if (predicate(exception))
        {
            return true;
        }

        if (exception is AggregateException aggregate)
        {
            return aggregate.InnerExceptions.Any(inner => AnyInChain(inner, predicate, depth + 1));
        }

        return exception.InnerException is { } cause && AnyInChain(cause, predicate, depth + 1);
    }

    private static bool IsTransientItself(Exception exception) => exception switch
    {
        RegexMatchTimeoutException => false,
        TimeoutException => true,
        RedisConnectionException => true,
        RedisServerException redis => TransientRedisErrors.Contains(redis.ErrorCode, StringComparer.Ordinal),
        PostgresException postgres => IsTransientSqlState(postgres.SqlState) || postgres.IsTransient,

        // Npgsql's own verdict: the socket, the stream or a timeout failed under it.
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked,

        // A driver's exception around a network failure (another ADO.NET provider, or one Npgsql does not flag).
        DbException db => db.InnerException is SocketException or IOException or TimeoutException,
        SocketException => true,
        _ => false,
    };

    // PostgreSQL error codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
    private static bool IsTransientSqlState(string sqlState)
        => sqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || sqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources (too many connections, disk full)
            || sqlState is "57P01" or "57P02" or "57P03" // admin shutdown, crash shutdown, cannot connect now (starting up)
            || sqlState is "57014" // statement timeout
            || sqlState is "40001" or "40P01"; // serialization failure, deadlock: nothing was committed, a retry may succeed
}
