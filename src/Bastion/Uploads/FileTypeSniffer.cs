using System.Buffers;

namespace Bastion.Uploads;

/// <summary>
/// Decides a file's real type from its bytes; the name and the client's Content-Type are never consulted, since
/// both are chosen by the sender (OWASP File Upload Cheat Sheet, "File Signature Validation").
/// </summary>
/// <remarks>
/// A file is one type or none. Besides a signature that matches no allowed type, these are refused as polyglots —
/// files that another program would read as something else:
/// <list type="bullet">
/// <item>bytes after the format's end: after PNG's IEND chunk, JPEG's EOI marker, the final <c>%%EOF</c> of a PDF,
/// or a ZIP's end-of-central-directory record (an appended ZIP, PE/<c>MZ</c>, ELF, script or HTML);</item>
/// <item>a ZIP end-of-central-directory record in the last 64 KiB of an image or PDF: ZIP readers look for it
/// there, so a ZIP hidden in a PNG chunk, a JPEG comment or a PDF stream would open as an archive;</item>
/// <item>a PDF whose signature is not at offset 0 (readers accept it later, which is how PE/PDF polyglots work);</item>
/// <item>a workbook declaring macros (<c>.xlsm</c> content or <c>vbaProject.bin</c>) — not an .xlsx at all;</item>
/// <item>CSV text that starts with a binary signature or with markup, or contains <c>&lt;script</c> (see <see cref="CsvContent"/>).</item>
/// </list>
/// A file whose detected type differs from the type its extension promises is refused by the caller.
/// </remarks>
internal static class FileTypeSniffer
{
    // A ZIP reader searches the last 22 + 65,535 bytes (EOCD record plus the longest comment) for the record.
    internal const int ZipDirectorySearchLength = 22 + ushort.MaxValue;

    // The PDF specification lets readers look for %%EOF in the last 1024 bytes.
    private const int PdfTrailerSearchLength = 1024;

    private static readonly SearchValues<byte> PdfTrailingWhitespace = SearchValues.Create(" \t\r\n\f\0"u8);

    internal static ReadOnlySpan<byte> ZipDirectorySignature => "PK\u0005\u0006"u8;
    private static ReadOnlySpan<byte> PdfSignature => "%PDF-"u8;
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> ZipSignature => "PK\u0003\u0004"u8;

    /// <summary>The type of <paramref name="content"/> (a seekable stream, read from the start), or null when it is none of them or is a polyglot.</summary>
    public static UploadFileType? Detect(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek || content.Length == 0)
        {
            return null;
        }

        Span<byte> head = stackalloc byte[8];
        content.Position = 0;
        head = head[..content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];

        UploadFileType? candidate = head switch
        {
            _ when head.StartsWith(PdfSignature) => UploadFileType.Pdf,
            _ when head.StartsWith(PngSignature) => UploadFileType.Png,
            _ when head.StartsWith(JpegSignature) => UploadFileType.Jpeg,
            _ when head.StartsWith(ZipSignature) => UploadFileType.Xlsx,
            _ => null,
        };

        var valid = candidate switch
        {
            UploadFileType.Pdf => IsPdf(content) && !HasZipDirectoryNearEnd(content),
            UploadFileType.Png => PngStructure.IsValid(content) && !HasZipDirectoryNearEnd(content),
            UploadFileType.Jpeg => JpegStructure.IsValid(content) && !HasZipDirectoryNearEnd(content),
            UploadFileType.Xlsx => XlsxStructure.IsValid(content),
            _ => CsvContent.IsValid(content),
        };

        return valid ? candidate ?? UploadFileType.Csv : null;
    }

    /// <summary>The last <paramref name="count"/> bytes of the stream (fewer when it is shorter).</summary>
    internal static byte[] ReadTail(Stream content, int count, out int length)
    {
        length = (int)Math.Min(count, content.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        content.Position = content.Length - length;
        content.ReadExactly(buffer, 0, length);
        return buffer;
    }

    private static bool IsPdf(Stream content)
    {
        // %PDF-1.x or %PDF-2.x at offset 0.
        Span<byte> version = stackalloc byte[3];
        content.Position = PdfSignature.Length;
        if (content.ReadAtLeast(version, 3, throwOnEndOfStream: false) < 3 || version[0] is not ((byte)'1' or (byte)'2')
            || version[1] != '.' || !char.IsAsciiDigit((char)version[2]))
        {
            return false;
        }

        var buffer = ReadTail(content, PdfTrailerSearchLength, out var length);
        try
        {
            var tail = buffer.AsSpan(0, length);
            var end = tail.LastIndexOf("%%EOF"u8);

            // Incremental updates append after an earlier %%EOF, but the file must still end with one.
            return end >= 0 && tail[(end + 5)..].IndexOfAnyExcept(PdfTrailingWhitespace) < 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool HasZipDirectoryNearEnd(Stream content)
    {
        var buffer = ReadTail(content, ZipDirectorySearchLength, out var length);
        try
        {
            return buffer.AsSpan(0, length).IndexOf(ZipDirectorySignature) >= 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
