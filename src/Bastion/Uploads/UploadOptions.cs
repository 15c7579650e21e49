namespace Bastion.Uploads;

/// <summary>File uploads (<c>Bastion:Uploads</c>).</summary>
public sealed class UploadOptions
{
    /// <summary>The extensions accepted when <see cref="AllowedExtensions"/> is left empty.</summary>
    public static IReadOnlyList<string> DefaultAllowedExtensions { get; } = [".csv", ".xlsx", ".pdf", ".jpg", ".png"];

    /// <summary>The largest file accepted, in bytes (default 10 MiB). Counted on the bytes received, never on Content-Length.</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Accepted extensions, each one whose content Bastion can check (<c>.csv .xlsx .pdf .jpg .jpeg .png</c>).
    /// Empty means <see cref="DefaultAllowedExtensions"/>. (The configuration binder appends to a list that already
    /// has items, so a default list here could never be narrowed by configuration.)
    /// </summary>
    public IList<string> AllowedExtensions { get; } = [];

    /// <summary>
    /// Where stored files live; default <c>{DataDirectory}/uploads</c>. Must not be under the web root: a stored file
    /// must never be reachable as a static file (OWASP File Upload Cheat Sheet, "Storage location").
    /// </summary>
    public string? StorageDirectory { get; set; }

    /// <summary>
    /// Where validated files are kept. Unset means <see cref="UploadStoreKind.Database"/> in shared mode (PostgreSQL
    /// or Redis configured) and <see cref="UploadStoreKind.Directory"/> otherwise. Temporary files are written under
    /// <see cref="StorageDirectory"/> in both cases, because validation happens before anything is stored.
    /// </summary>
    public UploadStoreKind? Store { get; set; }

    /// <summary>
    /// True declares that <see cref="StorageDirectory"/> is one network file system mounted on every node. Only then
    /// may <see cref="UploadStoreKind.Directory"/> be used with Redis state, where several nodes may serve requests.
    /// </summary>
    public bool SharedDirectory { get; set; }

    internal IReadOnlyList<string> EffectiveAllowedExtensions => AllowedExtensions.Count == 0 ? DefaultAllowedExtensions : [.. AllowedExtensions];

    /// <summary>Virus scanning with clamd; off unless <see cref="ClamAvOptions.Socket"/> or <see cref="ClamAvOptions.Host"/> is set.</summary>
    public ClamAvOptions ClamAv { get; } = new();
}

/// <summary>The clamd daemon that scans uploads (<c>Bastion:Uploads:ClamAv</c>).</summary>
public sealed class ClamAvOptions
{
    /// <summary>Path of clamd's Unix socket (its <c>LocalSocket</c> setting), such as <c>/run/clamav/clamd.ctl</c>.</summary>
    public string? Socket { get; set; }

    /// <summary>Host name or address of clamd's TCP listener (its <c>TCPSocket</c>/<c>TCPAddr</c> settings).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 3310;

    /// <summary>Refuse uploads while clamd cannot be reached or answers with an error (default). False accepts them unscanned and logs a warning.</summary>
    public bool FailClosed { get; set; } = true;

    /// <summary>The longest a whole scan may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a scanner is configured.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Socket) || !string.IsNullOrWhiteSpace(Host);
}
