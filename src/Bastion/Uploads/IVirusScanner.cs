namespace Bastion.Uploads;

/// <summary>Scans file content for malware (OWASP File Upload Cheat Sheet, "run the file through an antivirus").</summary>
public interface IVirusScanner
{
    /// <summary>False when no scanner is configured: uploads are then not scanned.</summary>
    bool IsEnabled { get; }

    /// <summary>Scans <paramref name="content"/> from its current position to its end.</summary>
    Task<VirusScanResult> ScanAsync(Stream content, CancellationToken cancellationToken);
}

public enum VirusScanVerdict
{
    Clean,
    Infected,
    Unavailable,
}

/// <summary>A scan's verdict; <see cref="Detail"/> is the signature name when infected, the failure when unavailable.</summary>
public sealed record VirusScanResult(VirusScanVerdict Verdict, string? Detail = null)
{
    public static VirusScanResult Clean { get; } = new(VirusScanVerdict.Clean);

    public static VirusScanResult Infected(string signature) => new(VirusScanVerdict.Infected, signature);

    public static VirusScanResult Unavailable(string reason) => new(VirusScanVerdict.Unavailable, reason);
}
