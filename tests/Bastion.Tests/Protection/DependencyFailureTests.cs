using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Bastion.Protection;
using Bastion.Redis;
using Bastion.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Bastion.Tests.Protection;

public sealed class DependencyFailureTests
{
    [Fact]
    public async Task EfQuery_PostgresNotListening_IsTransient()
    {
        // The exception exactly as EF Core throws it when PostgreSQL is down: its execution strategy wraps the
        // driver's NpgsqlException in an InvalidOperationException ("likely due to a transient failure").
        var options = new DbContextOptionsBuilder<BastionDbContext>();
        options.UseBastionDatabase(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = $"Host=127.0.0.1;Port={ClosedPort()};Username=x;Password=y;Timeout=2" });
        await using var db = new BastionDbContext(options.Options);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => db.Users.AnyAsync());

        Assert.IsType<InvalidOperationException>(thrown);
        Assert.True(DependencyFailure.IsTransient(thrown));
    }

    [Fact]
    public async Task SqliteWrite_DatabaseLockedByAnotherConnection_IsTransient()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bastion-busy-{Guid.NewGuid():N}.db");
        try
        {
            await using var holder = new SqliteConnection($"Data Source={file};Pooling=False");
            await holder.OpenAsync();
            await Execute(holder, "CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);");
            await using var writer = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=1");
            await writer.OpenAsync();

            var thrown = await Assert.ThrowsAsync<SqliteException>(() => Execute(writer, "INSERT INTO t VALUES (2);"));

            Assert.Equal(5, thrown.SqliteErrorCode);
            Assert.True(DependencyFailure.IsTransient(thrown));
            Assert.True(DependencyFailure.IsTransient(new DbUpdateException("An error occurred while saving the entity changes.", thrown)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("08006")] // connection failure
    [InlineData("08001")] // could not establish connection
    [InlineData("53300")] // too many connections
    [InlineData("53100")] // disk full
    [InlineData("57P01")] // admin shutdown (a restart)
    [InlineData("57P02")] // crash shutdown
    [InlineData("57P03")] // cannot connect now (still starting)
    [InlineData("40001")] // serialization failure
    [InlineData("40P01")] // deadlock
    public void PostgresException_OutageSqlState_IsTransientEvenWrappedByEf(string sqlState)
    {
        var postgres = new PostgresException("terminating connection", "FATAL", "FATAL", sqlState);

        Assert.True(DependencyFailure.IsTransient(postgres));
        Assert.True(DependencyFailure.IsTransient(new DbUpdateException("An error occurred while saving the entity changes.", postgres)));
        Assert.True(DependencyFailure.IsTransient(new RetryLimitExceededException("The maximum number of retries was exceeded.", postgres)));
        Assert.True(DependencyFailure.IsTransient(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", postgres)));
    }

    [Theory]
    [InlineData("23505")] // unique violation: a conflict, not an outage
    [InlineData("23503")] // foreign key violation
    [InlineData("42P01")] // undefined table: a broken deployment
    [InlineData("22001")] // value too long
    public void PostgresException_ProgrammingOrDataError_IsNotTransient(string sqlState)
    {
        var postgres = new PostgresException("error", "ERROR", "ERROR", sqlState);

        Assert.False(DependencyFailure.IsTransient(postgres));
        Assert.False(DependencyFailure.IsTransient(new DbUpdateException("An error occurred while saving the entity changes.", postgres)));
    }

    [Fact]
    public void NpgsqlException_OverBrokenStream_IsTransient()
    {
        var broken = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(DependencyFailure.IsTransient(broken));
        Assert.True(DependencyFailure.IsTransient(new InvalidOperationException("transient", refused)));
    }

    [Fact]
    public void SqliteException_ConstraintOrCorruption_IsNotTransient()
    {
        Assert.False(DependencyFailure.IsTransient(new SqliteException("UNIQUE constraint failed", 19)));
        Assert.False(DependencyFailure.IsTransient(new SqliteException("database disk image is malformed", 11)));
        Assert.True(DependencyFailure.IsTransient(new SqliteException("database table is locked", 6, 262)));
    }

    [Fact]
    public void RedisFailures_ConnectionTimeoutOrNotReady_AreTransient()
    {
        Assert.True(DependencyFailure.IsTransient(new RedisConnectionException("Could not connect to Redis at 127.0.0.1:6379", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(DependencyFailure.IsTransient(new TimeoutException("Redis command GET timed out after 2000 ms.")));
        Assert.True(DependencyFailure.IsTransient(new RedisServerException("LOADING Redis is loading the dataset in memory")));
        Assert.True(DependencyFailure.IsTransient(new RedisServerException("READONLY You can't write against a read only replica.")));
        Assert.False(DependencyFailure.IsTransient(new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value")));
        Assert.False(DependencyFailure.IsTransient(new RedisServerException("NOSCRIPT No matching script.")));
    }

    [Fact]
    public void AggregateException_OneTransientInner_IsTransient()
    {
        var aggregate = new AggregateException(new ArgumentException("unrelated"), new RedisConnectionException("closed"));

        Assert.True(DependencyFailure.IsTransient(new InvalidOperationException("wrapper", aggregate)));
        Assert.False(DependencyFailure.IsTransient(new AggregateException(new ArgumentException("a"), new FormatException("b"))));
    }

    [Fact]
    public void RegexTimeout_IsNotAnOutage()
    {
        var regex = new RegexMatchTimeoutException("aaaa", "(a+)+$", TimeSpan.FromMilliseconds(10));

        Assert.False(DependencyFailure.IsTransient(regex));
        Assert.False(DependencyFailure.IsTransient(regex, requestAborted: false, shuttingDown: false));
    }

    [Fact]
    public void BugsAndBareIoErrors_AreNotTransient()
    {
        Assert.False(DependencyFailure.IsTransient(new InvalidOperationException("Sequence contains no elements")));
        Assert.False(DependencyFailure.IsTransient(new KeyNotFoundException()));
        Assert.False(DependencyFailure.IsTransient(new IOException("The upload directory is full.")));
    }

    [Fact]
    public void Cancellation_ByDeadlineNotByClient_IsTransient()
    {
        var cancelled = new TaskCanceledException("A task was canceled.");

        Assert.True(DependencyFailure.IsTransient(cancelled, requestAborted: false, shuttingDown: false));
        Assert.False(DependencyFailure.IsTransient(cancelled, requestAborted: true, shuttingDown: false));
        Assert.True(DependencyFailure.IsTransient(new TaskCanceledException("timed out", new TimeoutException())));
    }

    [Fact]
    public void ObjectDisposed_OnlyWhileShuttingDown_IsTransient()
    {
        var disposed = new ObjectDisposedException("RedisClient");

        Assert.True(DependencyFailure.IsTransient(disposed, requestAborted: false, shuttingDown: true));
        Assert.False(DependencyFailure.IsTransient(disposed, requestAborted: false, shuttingDown: false));
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
