using Microsoft.EntityFrameworkCore;

namespace Bastion.Uploads;

/// <summary>Where the bytes of validated files live: a directory (<see cref="DirectoryUploadStore"/>) or the database (<see cref="DatabaseUploadStore"/>).</summary>
internal interface IUploadBlobStore
{
    /// <summary>True when <see cref="WriteAsync"/> and <see cref="DeleteAsync"/> take part in the transaction of the context they are given.</summary>
    bool IsTransactional { get; }

    /// <summary>Stores the validated file under a new random key and returns the key.</summary>
    Task<string> WriteAsync(ValidatedUpload upload, DbContext? db, CancellationToken cancellationToken);

    /// <summary>The stored content, or null when <paramref name="key"/> is malformed or names nothing. The caller disposes the stream.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the stored content; false when <paramref name="key"/> is malformed or names nothing.</summary>
    Task<bool> DeleteAsync(string key, DbContext? db, CancellationToken cancellationToken);
}
