using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bastion.Uploads;

/// <summary>
/// Stores validated files in the configured <see cref="UploadStoreKind"/> and keeps them consistent with the rows
/// that point to them: a row never commits without its file, whatever fails in between. With the database store the
/// file and the row commit in one transaction; with a directory the file is written first and removed again if the
/// row is not written, and deleted only after the row's deletion commits, so at worst a crash leaves an unreferenced
/// file under a random name, never a row pointing to nothing.
/// </summary>
public sealed partial class UploadStore
{
    private readonly IUploadBlobStore _blobs;
    private readonly UploadTemporaryFiles _temporary;
    private readonly ILogger _logger;

    internal UploadStore(IUploadBlobStore blobs, UploadTemporaryFiles temporary, ILogger<UploadStore> logger)
    {
        _blobs = blobs;
        _temporary = temporary;
        _logger = logger;
    }

    /// <summary>
    /// Stores <paramref name="upload"/> under a new random key, then runs <paramref name="record"/> with the key (it
    /// writes the row that points to the file and saves it through <paramref name="db"/>), in one transaction on
    /// <paramref name="db"/> — the caller's own when one is open, else one begun and committed here.
    /// </summary>
    public async Task<TResult> SaveAsync<TResult>(
        ValidatedUpload upload, DbContext db, Func<string, CancellationToken, Task<TResult>> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(record);
        if (upload.IsStored)
        {
            throw new InvalidOperationException("This upload has already been stored.");
        }

        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var key = await _blobs.WriteAsync(upload, db, cancellationToken);
        upload.IsStored = true;
        TResult result;
        try
        {
            result = await record(key, cancellationToken);
        }
        catch
        {
            // Nothing committed yet: the database store's row rolls back with the transaction; a file must go by hand.
            await DiscardAsync(key);
            throw;
        }

        // A failing commit is not compensated: its outcome is unknown, and a file without a row is only garbage.
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }

    /// <summary>The stored content of <paramref name="key"/>, or null when the key is malformed or names nothing.</summary>
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) => _blobs.OpenReadAsync(key, cancellationToken);

    /// <summary>
    /// Runs <paramref name="removeReferences"/> (it deletes the rows that point to <paramref name="keys"/> and saves
    /// through <paramref name="db"/>) and deletes the stored files: in the same transaction with the database store,
    /// after it commits with a directory.
    /// </summary>
    public async Task DeleteAsync(IReadOnlyCollection<string> keys, DbContext db, Func<CancellationToken, Task> removeReferences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(removeReferences);
        await using (var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null)
        {
            await removeReferences(cancellationToken);
            if (_blobs.IsTransactional)
            {
                foreach (var key in keys)
                {
                    await _blobs.DeleteAsync(key, db, cancellationToken);
                }
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        if (!_blobs.IsTransactional)
        {
            foreach (var key in keys)
            {
                await DiscardAsync(key);
            }
        }
    }

    /// <summary>A new, empty temporary file, readable and writable by this process only, for validation to fill.</summary>
    internal (string Path, FileStream Stream) CreateTemporaryFile() => _temporary.Create();

    // Not cancellable: once the row's fate is settled, the file must follow it.
    private async Task DiscardAsync(string key)
    {
        if (_blobs.IsTransactional)
        {
            return;
        }

        try
        {
            await _blobs.DeleteAsync(key, null, CancellationToken.None);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.DiscardFailed(_logger, exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "A stored file that no row points to could not be deleted; it stays as garbage under a random name", EventName = "UploadDiscardFailed")]
        public static partial void DiscardFailed(ILogger logger, Exception exception);
    }
}
