namespace Bastion.Uploads;

/// <summary>Directories and files readable and writable by this process's account only.</summary>
internal static class PrivateDirectory
{
    // Owner only: other local accounts (and a web server running as another user) cannot read uploads.
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }
}
