using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bastion.Uploads;

/// <summary>
/// Keeps validated files under <c>StorageDirectory/{yyyy}/{mm}/{128-bit random hex}</c>: no extension and nothing
/// the client chose appears in a path, so no name can traverse, overwrite or be executed (OWASP File Upload Cheat
/// Sheet, "Storage location" and "File Name Sanitization"). The key is what the caller records in its database.
/// </summary>
public sealed partial class UploadStore
{
    // Owner only: other local accounts (and a web server running as another user) cannot read uploads.
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _root;
    private readonly TimeProvider _time;

    public UploadStore(IOptions<UploadOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = options.Value.StorageDirectory;
        _root = Path.GetFullPath(string.IsNullOrWhiteSpace(directory)
            ? throw new InvalidOperationException("Bastion:Uploads:StorageDirectory is not set.")
            : directory);
        _time = time;
    }

    /// <summary>Moves a validated file into storage and returns its key, such as <c>2025/06/3f2a…</c> (32 hex digits).</summary>
    public string Save(ValidatedUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.IsStored)
        {
            throw new InvalidOperationException("This upload has already been stored.");
        }

        var now = _time.GetUtcNow();
        var key = string.Create(CultureInfo.InvariantCulture, $"{now:yyyy}/{now:MM}/{NewId()}");
        var path = PathFor(key)!;
        CreatePrivateDirectory(Path.GetDirectoryName(path)!);

        // Same file system (the temporary directory is inside the root), so this is an atomic rename.
        File.Move(upload.TemporaryPath, path, overwrite: false);
        upload.IsStored = true;
        return key;
    }

    /// <summary>Opens a stored file, or returns null when <paramref name="key"/> is malformed or names no file.</summary>
    public FileStream? OpenRead(string key)
    {
        var path = PathFor(key);
        if (path is null)
        {
            return null;
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes a stored file; false when <paramref name="key"/> is malformed or names no file.</summary>
    public bool Delete(string key)
    {
        var path = PathFor(key);
        if (path is null || !File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>A new, empty temporary file under <c>StorageDirectory/tmp</c>, readable and writable by this process only.</summary>
    internal (string Path, FileStream Stream) CreateTemporaryFile()
    {
        var directory = Path.Combine(_root, "tmp");
        CreatePrivateDirectory(directory);
        var path = Path.Combine(directory, NewId());
        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = PrivateFile;
        }

        return (path, new FileStream(path, fileOptions));
    }

    /// <summary>
    /// The path of a key, or null unless the key has exactly the shape Save creates. The path is assembled from the
    /// matched groups only, so separators, dots, drive letters or a trailing newline in a key cannot reach the file system.
    /// </summary>
    private string? PathFor(string? key)
    {
        var match = key is null ? Match.Empty : KeyPattern().Match(key);
        return match.Success ? Path.Join(_root, match.Groups["year"].Value, match.Groups["month"].Value, match.Groups["id"].Value) : null;
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateDirectory);
        }
    }

    // \A and \z, not ^ and $: $ also matches before a final newline.
    [GeneratedRegex(@"\A(?<year>[0-9]{4})/(?<month>0[1-9]|1[0-2])/(?<id>[0-9a-f]{32})\z", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 100)]
    private static partial Regex KeyPattern();
}
