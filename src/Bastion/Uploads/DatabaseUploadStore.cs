using System.Data;
using System.Data.Common;
using Bastion.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Bastion.Uploads;

/// <summary>
/// Keeps validated files as rows of <c>upload_blobs</c> (migration 0009), so every node sees every file. Writes and
/// deletes go through the caller's connection and transaction: the blob commits or rolls back with the row that
/// points to it. Content is streamed both ways — from the temporary file into the database, and from the database
/// into the response — so a file is never held in memory whole.
/// </summary>
internal sealed class DatabaseUploadStore(DatabaseOptions database, TimeProvider time) : IUploadBlobStore
{
    private const int BufferSize = 80 * 1024;

    private readonly string _connectionString = database.ConnectionString
        ?? throw new InvalidOperationException("Bastion:Database:ConnectionString is not set; uploads have nowhere to go.");

    public bool IsTransactional => true;

    public async Task<string> WriteAsync(ValidatedUpload upload, DbContext? db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(db);
        var now = time.GetUtcNow();
        var key = UploadKey.New(now);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            await using var content = new FileStream(upload.TemporaryPath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (connection is SqliteConnection sqlite)
            {
                await InsertSqliteAsync(sqlite, transaction, key, upload, content, now, cancellationToken);
            }
            else
            {
                await InsertPostgresAsync(connection, transaction, key, upload, content, now, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return key;
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        if (!UploadKey.TryParse(key, out _))
        {
            return null;
        }

        DbConnection connection = database.Provider == DatabaseProvider.Postgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);
        DbCommand? command = null;
        DbDataReader? reader = null;
        try
        {
            await connection.OpenAsync(cancellationToken);
            command = connection.CreateCommand();

            // SQLite streams a blob (SqliteBlob, incremental I/O) only when the row's rowid is selected with it; otherwise
            // it reads the value into memory. PostgreSQL streams the column from the wire with SequentialAccess.
            command.CommandText = connection is SqliteConnection
                ? "SELECT rowid, content FROM upload_blobs WHERE key = @key"
                : "SELECT content FROM upload_blobs WHERE key = @key";
            command.AddParameter("@key", key);
            reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await DatabaseBlobStream.DisposeAllAsync(reader, command, connection);
                return null;
            }

            return new DatabaseBlobStream(reader.GetStream(reader.FieldCount - 1), reader, command, connection);
        }
        catch
        {
            await DatabaseBlobStream.DisposeAllAsync(reader, command, connection);
            throw;
        }
    }

    public async Task<bool> DeleteAsync(string key, DbContext? db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!UploadKey.TryParse(key, out _))
        {
            return false;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = "DELETE FROM upload_blobs WHERE key = @key";
            command.AddParameter("@key", key);
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // The row is created with a zero-filled blob of the right length, then filled through SQLite's incremental blob I/O
    // (https://sqlite.org/c3ref/blob_open.html) in the same transaction.
    private static async Task InsertSqliteAsync(
        SqliteConnection connection, DbTransaction? transaction, string key, ValidatedUpload upload, Stream content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long rowid;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = (SqliteTransaction?)transaction;
            command.CommandText = "INSERT INTO upload_blobs (key, content, length, sha256, created_at) VALUES (@key, zeroblob(@length), @length, @sha256, @created); SELECT last_insert_rowid();";
            command.AddParameter("@key", key);
            command.AddParameter("@length", upload.Length);
            command.AddParameter("@sha256", upload.Sha256);
            command.AddParameter("@created", now.ToUnixTimeMilliseconds());
            rowid = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await using var blob = new SqliteBlob(connection, "upload_blobs", "content", rowid);
        await content.CopyToAsync(blob, BufferSize, cancellationToken);
    }

    // Npgsql sends a Stream parameter as bytea, reading it while it writes the message.
    private static async Task InsertPostgresAsync(
        DbConnection connection, DbTransaction? transaction, string key, ValidatedUpload upload, Stream content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO upload_blobs (key, content, length, sha256, created_at) VALUES (@key, @content, @length, @sha256, @created)";
        command.AddParameter("@key", key);
        command.Parameters.Add(new NpgsqlParameter("@content", NpgsqlDbType.Bytea) { Value = content, Size = checked((int)upload.Length) });
        command.AddParameter("@length", upload.Length);
        command.AddParameter("@sha256", upload.Sha256);
        command.AddParameter("@created", now.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
