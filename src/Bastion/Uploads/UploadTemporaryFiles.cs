namespace Bastion.Uploads;

/// <summary>
/// Files being received and validated, under <c>{StorageDirectory}/tmp</c> whatever the store: on the same file
/// system as a directory store, so storing there is an atomic rename.
/// </summary>
internal sealed class UploadTemporaryFiles(string storageDirectory)
{
    private readonly string _directory = Path.Combine(Path.GetFullPath(storageDirectory), "tmp");

    public (string Path, FileStream Stream) Create()
    {
        PrivateDirectory.Create(_directory);
        var path = Path.Combine(_directory, UploadKey.RandomHex());
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateDirectory.FileMode;
        }

        return (path, new FileStream(path, options));
    }
}
