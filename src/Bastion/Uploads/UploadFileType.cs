namespace Bastion.Uploads;

/// <summary>The file types whose content Bastion can check.</summary>
public enum UploadFileType
{
    Csv,
    Xlsx,
    Pdf,
    Jpeg,
    Png,
}

public static class UploadFileTypes
{
    // Every extension the sniffer can vouch for; an allowlist entry outside this map would be accepted on its name alone.
    private static readonly Dictionary<string, UploadFileType> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = UploadFileType.Csv,
        [".xlsx"] = UploadFileType.Xlsx,
        [".pdf"] = UploadFileType.Pdf,
        [".jpg"] = UploadFileType.Jpeg,
        [".jpeg"] = UploadFileType.Jpeg,
        [".png"] = UploadFileType.Png,
    };

    public static IEnumerable<string> SupportedExtensions => ByExtension.Keys;

    /// <summary>The type an extension (with its dot) promises, or null when Bastion cannot check it.</summary>
    public static UploadFileType? FromExtension(string extension)
        => ByExtension.TryGetValue(extension, out var type) ? type : null;

    /// <summary>
    /// The Content-Type to serve a stored file with: decided by the detected type, never echoed from the client
    /// (OWASP File Upload Cheat Sheet: "the Content-Type header is easily spoofed").
    /// </summary>
    public static string ContentType(UploadFileType type) => type switch
    {
        UploadFileType.Csv => "text/csv; charset=utf-8",
        UploadFileType.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        UploadFileType.Pdf => "application/pdf",
        UploadFileType.Jpeg => "image/jpeg",
        UploadFileType.Png => "image/png",
        _ => "application/octet-stream",
    };
}
