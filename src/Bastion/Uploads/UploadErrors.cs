namespace Bastion.Uploads;

/// <summary>The stable codes an upload is refused with; clients may switch on them.</summary>
public static class UploadErrorCodes
{
    public const string FileEmpty = "file_empty";
    public const string FileTooLarge = "file_too_large";
    public const string FileTypeNotAllowed = "file_type_not_allowed";
    public const string FileContentMismatch = "file_content_mismatch";
    public const string FileInfected = "file_infected";
    public const string ScannerUnavailable = "scanner_unavailable";

    /// <summary>The HTTP status an endpoint answers with for <paramref name="code"/>.</summary>
    public static int StatusCode(string code) => code switch
    {
        FileTooLarge => 413,
        FileTypeNotAllowed or FileContentMismatch => 415,
        FileInfected => 422,
        ScannerUnavailable => 503,
        _ => 400,
    };
}

/// <summary>Why an upload was refused: a stable code and a message that can be shown to the uploader.</summary>
public sealed record UploadError(string Code, string Message);
