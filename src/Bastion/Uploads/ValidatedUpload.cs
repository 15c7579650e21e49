using System.Diagnostics.CodeAnalysis;

namespace Bastion.Uploads;

/// <summary>The outcome of <see cref="UploadValidator.ValidateAsync"/>: a validated file, or the reason it was refused.</summary>
public sealed class UploadValidationResult
{
    private UploadValidationResult(ValidatedUpload? upload, UploadError? error)
    {
        Upload = upload;
        Error = error;
    }

    public ValidatedUpload? Upload { get; }

    public UploadError? Error { get; }

    [MemberNotNullWhen(true, nameof(Upload))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Upload is not null;

    public static UploadValidationResult Success(ValidatedUpload upload) => new(upload, null);

    public static UploadValidationResult Failure(string code, string message) => new(null, new UploadError(code, message));
}

/// <summary>
/// A file that passed validation, held in a temporary file until <see cref="UploadStore.SaveAsync"/> stores it.
/// Disposing it deletes the temporary file (a directory store has already moved it away; the database store has copied it).
/// </summary>
public sealed class ValidatedUpload : IDisposable
{
    internal ValidatedUpload(string temporaryPath, UploadFileType type, long length, string displayName, string sha256)
    {
        TemporaryPath = temporaryPath;
        FileType = type;
        Length = length;
        DisplayName = displayName;
        Sha256 = sha256;
    }

    public UploadFileType FileType { get; }

    /// <summary>The Content-Type to serve the file with, from its detected type.</summary>
    public string ContentType => UploadFileTypes.ContentType(FileType);

    public long Length { get; }

    /// <summary>The sanitised client file name, for display and Content-Disposition only.</summary>
    public string DisplayName { get; }

    /// <summary>SHA-256 of the content, lower-case hex: for the audit trail and to find duplicates.</summary>
    public string Sha256 { get; }

    internal string TemporaryPath { get; }

    internal bool IsStored { get; set; }

    public void Dispose() => File.Delete(TemporaryPath);
}
