using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bastion.Uploads;

/// <summary>
/// Validates an uploaded file in the order of the OWASP File Upload Cheat Sheet: the extension against the
/// allowlist, the size on the bytes actually received, the real type from the content, then the virus scanner.
/// The client's Content-Type is not an input at all; its Content-Length only allows refusing early.
/// </summary>
public sealed partial class UploadValidator(IOptions<UploadOptions> options, UploadStore store, IVirusScanner scanner, ILogger<UploadValidator> logger)
{
    private const int BufferSize = 80 * 1024;

    /// <summary>
    /// Reads at most MaxBytes + 1 bytes of <paramref name="content"/> into a temporary file and validates them. On
    /// success the caller owns <see cref="UploadValidationResult.Upload"/>: store it or dispose it.
    /// </summary>
    public async Task<UploadValidationResult> ValidateAsync(string fileName, long? declaredLength, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var settings = options.Value;
        var displayName = SafeFileName.Sanitize(fileName);
        var extension = SafeFileName.Extension(displayName);
        var allowed = settings.EffectiveAllowedExtensions;
        var expected = UploadFileTypes.FromExtension(extension);
        if (expected is null || !allowed.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return Refuse(UploadErrorCodes.FileTypeNotAllowed, $"Only {string.Join(", ", allowed)} files are accepted.", extension);
        }

        if (declaredLength > settings.MaxBytes)
        {
            return Refuse(UploadErrorCodes.FileTooLarge, TooLargeMessage(settings.MaxBytes), extension);
        }

        var (path, file) = store.CreateTemporaryFile();
        ValidatedUpload? upload = null;
        try
        {
            long length;
            string sha256;
            await using (file)
            {
                (length, sha256) = await CopyAsync(content, file, settings.MaxBytes + 1, cancellationToken);
                var error = length > settings.MaxBytes ? new UploadError(UploadErrorCodes.FileTooLarge, TooLargeMessage(settings.MaxBytes))
                    : length == 0 ? new UploadError(UploadErrorCodes.FileEmpty, "The file is empty.")
                    : declaredLength is { } declared && declared != length ? new UploadError(UploadErrorCodes.FileContentMismatch, "The file's length does not match the length declared for it.")
                    : FileTypeSniffer.Detect(file) != expected ? new UploadError(UploadErrorCodes.FileContentMismatch, $"The file's content is not a valid {extension} file.")
                    : await ScanAsync(file, settings.ClamAv, cancellationToken);
                if (error is not null)
                {
                    return Refuse(error.Code, error.Message, extension);
                }
            }

            upload = new ValidatedUpload(path, expected.Value, length, displayName, sha256);
            return UploadValidationResult.Success(upload);
        }
        finally
        {
            if (upload is null)
            {
                File.Delete(path);
            }
        }
    }

    private static async Task<(long Length, string Sha256)> CopyAsync(Stream content, FileStream file, long limit, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            while (total < limit)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - total)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                hash.AppendData(buffer, 0, read);
                total += read;
            }

            await file.FlushAsync(cancellationToken);
            return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<UploadError?> ScanAsync(FileStream file, ClamAvOptions clamAv, CancellationToken cancellationToken)
    {
        if (!scanner.IsEnabled)
        {
            return null;
        }

        file.Position = 0;
        var result = await scanner.ScanAsync(file, cancellationToken);
        switch (result.Verdict)
        {
            case VirusScanVerdict.Infected:
                Log.Infected(logger, result.Detail);
                return new UploadError(UploadErrorCodes.FileInfected, "The file was refused by the virus scanner.");
            case VirusScanVerdict.Unavailable when clamAv.FailClosed:
                Log.ScannerUnavailableRefused(logger, result.Detail);
                return new UploadError(UploadErrorCodes.ScannerUnavailable, "Files cannot be checked for viruses at the moment; try again later.");
            case VirusScanVerdict.Unavailable:
                Log.ScannerUnavailableAccepted(logger, result.Detail);
                return null;
            default:
                return null;
        }
    }

    private UploadValidationResult Refuse(string code, string message, string extension)
    {
        Log.Refused(logger, code, extension.Length == 0 ? "(none)" : extension);
        return UploadValidationResult.Failure(code, message);
    }

    private static string TooLargeMessage(long maxBytes)
        => string.Create(CultureInfo.InvariantCulture, $"The file is larger than the limit of {maxBytes / (1024.0 * 1024.0):0.##} MB.");

    private static partial class Log
    {
        // The extension is from the sanitised name: at most 16 ASCII letters and digits, safe to log.
        [LoggerMessage(1, LogLevel.Information, "Refused an upload ({Code}) with extension {Extension}", EventName = "UploadRefused")]
        public static partial void Refused(ILogger logger, string code, string extension);

        [LoggerMessage(2, LogLevel.Warning, "Refused an upload: the virus scanner found {Signature}", EventName = "UploadInfected")]
        public static partial void Infected(ILogger logger, string? signature);

        [LoggerMessage(3, LogLevel.Error, "The virus scanner is unavailable ({Reason}); uploads are refused because Bastion:Uploads:ClamAv:FailClosed is true", EventName = "VirusScannerUnavailable")]
        public static partial void ScannerUnavailableRefused(ILogger logger, string? reason);

        [LoggerMessage(4, LogLevel.Warning, "The virus scanner is unavailable ({Reason}); the upload was accepted unscanned because Bastion:Uploads:ClamAv:FailClosed is false", EventName = "UploadAcceptedUnscanned")]
        public static partial void ScannerUnavailableAccepted(ILogger logger, string? reason);
    }
}
