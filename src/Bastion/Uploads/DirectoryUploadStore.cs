using Microsoft.EntityFrameworkCore;

namespace Bastion.Uploads;

/// <summary>
/// Keeps validated files under <c>{root}/{yyyy}/{mm}/{id}</c> (see <see cref="UploadKey"/>): no extension and nothing
/// the client chose appears in a path, so no name can traverse, overwrite or be executed (OWASP File Upload Cheat
/// Sheet, "Storage location"). One node's disk, unless the root is a network file system mounted on every node.
/// </summary>
internal sealed class DirectoryUploadStore(string root, TimeProvider time) : IUploadBlobStore
{
    private readonly string _root = Path.GetFullPath(root);

    public bool IsTransactional => false;

    public Task<string> WriteAsync(ValidatedUpload upload, DbContext? db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var key = UploadKey.New(time.GetUtcNow());
        var path = PathFor(key)!;
        PrivateDirectory.Create(Path.GetDirectoryName(path)!);

        // Same file system (the temporary directory is inside the root), so this is an atomic rename.
        File.Move(upload.TemporaryPath, path, overwrite: false);
        return Task.FromResult(key);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        if (path is null)
        {
            return Task.FromResult<Stream?>(null);
        }

        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> DeleteAsync(string key, DbContext? db, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        if (path is null || !File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    private string? PathFor(string? key)
        => UploadKey.TryParse(key, out var parts) ? Path.Join(_root, parts.Year, parts.Month, parts.Id) : null;
}
