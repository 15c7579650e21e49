using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Bastion.Uploads;

/// <summary>
/// An Office Open XML workbook (ECMA-376): a ZIP with <c>[Content_Types].xml</c> and <c>xl/workbook.xml</c>, whose
/// content types declare an ordinary (macro-free) workbook. Only the central directory and the small content-types
/// part are read, with caps, so a ZIP bomb costs nothing here (OWASP File Upload Cheat Sheet, "zip bombs").
/// </summary>
internal static class XlsxStructure
{
    private const int EndOfDirectoryLength = 22;
    private const int MaxEntries = 10_000;
    private const long MaxDeclaredUncompressedBytes = 256L * 1024 * 1024;
    private const int MaxContentTypesBytes = 1024 * 1024;
    private const string WorkbookContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";

    public static bool IsValid(Stream content)
    {
        if (!HasPlainEndOfDirectory(content))
        {
            return false;
        }

        try
        {
            content.Position = 0;
            using var archive = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            long declared = 0;
            ZipArchiveEntry? contentTypes = null;
            var hasWorkbook = false;
            foreach (var entry in archive.Entries)
            {
                declared += entry.Length;
                if (entry.IsEncrypted || declared > MaxDeclaredUncompressedBytes || !IsSafeEntryName(entry.FullName)
                    || entry.FullName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                contentTypes ??= entry.FullName == "[Content_Types].xml" ? entry : null;
                hasWorkbook |= entry.FullName == "xl/workbook.xml";
            }

            return hasWorkbook && contentTypes is not null && DeclaresPlainWorkbook(contentTypes);
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads the end-of-central-directory record before the framework does: it must end the file exactly (nothing
    /// appended) and declare at most <see cref="MaxEntries"/> entries, without ZIP64 (a workbook this small never needs it).
    /// </summary>
    private static bool HasPlainEndOfDirectory(Stream content)
    {
        var buffer = FileTypeSniffer.ReadTail(content, FileTypeSniffer.ZipDirectorySearchLength, out var length);
        try
        {
            var tail = buffer.AsSpan(0, length);
            var at = tail.LastIndexOf(FileTypeSniffer.ZipDirectorySignature);
            if (at < 0 || tail.Length - at < EndOfDirectoryLength)
            {
                return false;
            }

            var record = tail[at..];
            var entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(record[20..]);
            return entries is > 0 and <= MaxEntries && at + EndOfDirectoryLength + commentLength == tail.Length;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A workbook never has these; an extracting consumer would write outside its folder ("zip slip").
    private static bool IsSafeEntryName(string name)
        => name.Length > 0 && name[0] != '/' && !name.Contains('\\', StringComparison.Ordinal) && !name.Contains(':', StringComparison.Ordinal)
            && !name.Split('/').Contains("..");

    private static bool DeclaresPlainWorkbook(ZipArchiveEntry contentTypes)
    {
        if (contentTypes.Length > MaxContentTypesBytes)
        {
            return false;
        }

        using var stream = contentTypes.Open();
        var buffer = new byte[MaxContentTypesBytes + 1];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read > MaxContentTypesBytes)
        {
            return false;
        }

        // A plain text search: parsing the XML would add an XML parser (and its entity handling) for no gain.
        var xml = Encoding.UTF8.GetString(buffer, 0, read);
        return xml.Contains(WorkbookContentType, StringComparison.Ordinal)
            && !xml.Contains("macroEnabled", StringComparison.OrdinalIgnoreCase);
    }
}
