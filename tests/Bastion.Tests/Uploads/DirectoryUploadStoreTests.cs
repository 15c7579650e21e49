using Bastion.Uploads;

namespace Bastion.Tests.Uploads;

public sealed class DirectoryUploadStoreTests() : UploadStoreContract(UploadStoreKind.Directory)
{
    [Fact]
    public async Task StoredFilesAndDirectories_AreReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var key = await SaveCsvAsync();
        var path = Path.Combine(Context.Options.StorageDirectory!, key);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }
}
