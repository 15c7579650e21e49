using Bastion.State;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bastion.Uploads;

/// <summary>Each failure names the setting to change, so a node with an unsafe upload configuration refuses to start.</summary>
internal sealed class UploadOptionsValidator(IHostEnvironment environment, IOptions<StateOptions> state) : IValidateOptions<UploadOptions>
{
    internal const long MaxDatabaseBytes = 256L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, UploadOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBytes <= 0)
        {
            failures.Add("Bastion:Uploads:MaxBytes must be positive.");
        }

        foreach (var extension in options.AllowedExtensions)
        {
            if (UploadFileTypes.FromExtension(extension) is null)
            {
                failures.Add($"Bastion:Uploads:AllowedExtensions entry '{extension}' is not one whose content can be checked; choose from: {string.Join(' ', UploadFileTypes.SupportedExtensions)}.");
            }
        }

        if (StorageProblem(options.StorageDirectory) is { } problem)
        {
            failures.Add(problem);
        }

        failures.AddRange(StoreProblems(options));
        failures.AddRange(ClamAvProblems(options.ClamAv));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string? StorageProblem(string? directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            return "Bastion:Uploads:StorageDirectory is required (it defaults to {DataDirectory}/uploads).";
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var segments = full.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        var webRoot = (environment as IWebHostEnvironment)?.WebRootPath;
        var underWebRoot = !string.IsNullOrEmpty(webRoot) && IsSameOrUnder(full, Path.GetFullPath(webRoot));

        // A file under the web root can be fetched, and on some servers executed, by URL (OWASP File Upload Cheat Sheet).
        return underWebRoot || segments.Any(s => s.Equals("wwwroot", StringComparison.OrdinalIgnoreCase))
            ? $"Bastion:Uploads:StorageDirectory '{full}' is inside a web root; choose a directory that is never served as static files."
            : null;
    }

    private static bool IsSameOrUnder(string path, string root)
    {
        root = Path.TrimEndingDirectorySeparator(root);
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return path.Equals(root, comparison) || path.StartsWith(root + Path.DirectorySeparatorChar, comparison);
    }

    /// <summary>
    /// Redis state is what several nodes need, so with it a file kept on one node's disk would be a 404 on the
    /// others; a directory is allowed there only when the operator says it is shared by every node.
    /// </summary>
    private IEnumerable<string> StoreProblems(UploadOptions options)
    {
        if (options.Store is { } store && !Enum.IsDefined(store))
        {
            yield return $"Bastion:Uploads:Store '{store}' is not a store; choose Directory or Database.";
        }

        if (options.Store == UploadStoreKind.Directory && !options.SharedDirectory && state.Value.Provider == StateProvider.Redis)
        {
            yield return "Bastion:Uploads:Store=Directory keeps attachments on this node's disk, but Bastion:State:Provider=Redis lets several nodes "
                + "serve requests, and a file uploaded through one would be missing on the others. Remove the setting to store files in the "
                + "database (the default in this mode), or set Bastion:Uploads:SharedDirectory=true if StorageDirectory is one network file "
                + "system mounted on every node.";
        }

        if (options.Store == UploadStoreKind.Database && options.MaxBytes > MaxDatabaseBytes)
        {
            yield return $"Bastion:Uploads:MaxBytes is at most {MaxDatabaseBytes} (256 MiB) with Store=Database: each file is one database value, "
                + "and both PostgreSQL and SQLite cap a value at 1 GB.";
        }
    }

    private static IEnumerable<string> ClamAvProblems(ClamAvOptions clamAv)
    {
        var hasSocket = !string.IsNullOrWhiteSpace(clamAv.Socket);
        var hasHost = !string.IsNullOrWhiteSpace(clamAv.Host);
        if (hasSocket && hasHost)
        {
            yield return "Bastion:Uploads:ClamAv: set either Socket or Host, not both.";
        }

        if (hasSocket && !Path.IsPathFullyQualified(clamAv.Socket!))
        {
            yield return "Bastion:Uploads:ClamAv:Socket must be an absolute path, such as /run/clamav/clamd.ctl.";
        }

        if (hasHost && clamAv.Port is < 1 or > 65535)
        {
            yield return "Bastion:Uploads:ClamAv:Port must be between 1 and 65535.";
        }

        if (clamAv.Timeout <= TimeSpan.Zero)
        {
            yield return "Bastion:Uploads:ClamAv:Timeout must be positive.";
        }
    }
}
