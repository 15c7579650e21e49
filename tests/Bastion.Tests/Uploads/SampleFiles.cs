using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Bastion.Tests.Uploads;

/// <summary>Tiny but valid files of each accepted type, and the hostile files the validator must refuse.</summary>
internal static class SampleFiles
{
    // A 32×32 grey gradient written by cjpeg (libjpeg-turbo) with -restart 1B, so its scan holds RSTn markers.
    private const string JpegHex =
        "ffd8ffe000104a46494600010100000100010000ffdb0043001b12141714111b1716171e1c1b2028422b28252528513a3d3042605565645f555d5b6a7899816a"
        + "7190735b5d85b586909ea3abadab6780bcc9baa6c799a8aba4ffdb0043011c1e1e2823284e2b2b4ea46e5d6ea4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4"
        + "a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4ffc00011080020002003012200021101031101ffc400150001010000000000000000"
        + "0000000000000504ffc400161000030000000000000000000000000000000441ffc40014010100000000000000000000000000000000ffc40014110100000000"
        + "000000000000000000000000ffdd00040001ffda000c03010002110311003f00057826bc0c5e09af00ffd0a17826bc0c5e09af00ffd1057826bc0c5e09af00ff"
        + "d2a17826bc0c5e09af00ffd9";

    /// <summary>The JPEG; <paramref name="comment"/> (at most 65,533 bytes) goes into a COM segment after SOI.</summary>
    public static byte[] Jpeg(byte[]? comment = null)
    {
        var jpeg = Convert.FromHexString(JpegHex);
        if (comment is null)
        {
            return jpeg;
        }

        var segment = new byte[4 + comment.Length];
        segment[0] = 0xFF;
        segment[1] = 0xFE;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(comment.Length + 2));
        comment.CopyTo(segment, 4);
        return Concat(jpeg[..2], segment, jpeg[2..]);
    }

    public static byte[] Csv() => "name,email\r\nAda Lovelace,ada@example.com\r\n"u8.ToArray();

    /// <summary>A 1×1 RGB PNG; <paramref name="extraChunk"/> is placed before IEND.</summary>
    public static byte[] Png(byte[]? extraChunk = null, uint width = 1, uint height = 1)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(output, "IHDR", header);
        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write([0, 0xFF, 0x00, 0x00]); // filter byte, one red pixel
            }

            WriteChunk(output, "IDAT", pixels.ToArray());
        }

        if (extraChunk is not null)
        {
            WriteChunk(output, "tEXt", extraChunk);
        }

        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A one-page PDF with a correct cross-reference table; <paramref name="body"/> is added as a stream object.</summary>
    public static byte[] Pdf(byte[]? body = null)
    {
        using var output = new MemoryStream();
        var offsets = new List<long>();
        void Text(string text) => output.Write(Encoding.Latin1.GetBytes(text));
        Text("%PDF-1.4\n%\u00e2\u00e3\n");
        offsets.Add(output.Position);
        Text("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        offsets.Add(output.Position);
        Text("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        offsets.Add(output.Position);
        Text("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>\nendobj\n");
        if (body is not null)
        {
            offsets.Add(output.Position);
            Text($"4 0 obj\n<< /Length {body.Length} >>\nstream\n");
            output.Write(body);
            Text("\nendstream\nendobj\n");
        }

        var xref = output.Position;
        Text($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Text($"{offset:D10} 00000 n \n");
        }

        Text($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }

    /// <summary>A minimal workbook with one sheet; <paramref name="macroEnabled"/> makes it an .xlsm in disguise.</summary>
    public static byte[] Xlsx(bool macroEnabled = false, IEnumerable<(string Name, string Content)>? extraEntries = null)
    {
        var workbookType = macroEnabled
            ? "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
        var entries = new List<(string Name, string Content)>
        {
            ("[Content_Types].xml", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{workbookType}"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""),
            ("_rels/.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""),
            ("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""),
            ("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""),
            ("xl/worksheets/sheet1.xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Hello</t></is></c></row></sheetData></worksheet>"""),
        };
        entries.AddRange(extraEntries ?? []);
        return Zip(entries);
    }

    public static byte[] Zip(IEnumerable<(string Name, string Content)> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return output.ToArray();
    }

    /// <summary>The start of a Windows PE executable: a DOS header whose e_lfanew points at a PE signature.</summary>
    public static byte[] WindowsExecutable()
    {
        var bytes = new byte[512];
        bytes[0] = (byte)'M';
        bytes[1] = (byte)'Z';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(0x3C), 0x80);
        "PE\0\0"u8.CopyTo(bytes.AsSpan(0x80));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x84), 0x8664); // x64
        return bytes;
    }

    /// <summary>The start of a 64-bit little-endian Linux executable.</summary>
    public static byte[] LinuxExecutable()
    {
        var bytes = new byte[256];
        "\u007FELF"u8.CopyTo(bytes);
        bytes[4] = 2; // 64-bit
        bytes[5] = 1; // little-endian
        bytes[6] = 1; // version
        bytes[16] = 2; // ET_EXEC
        bytes[18] = 0x3E; // x86-64
        return bytes;
    }

    /// <summary>
    /// The EICAR anti-virus test file, assembled at run time so that scanners looking at this source file do not
    /// flag it (https://www.eicar.org/download-anti-malware-testfile/).
    /// </summary>
    public static byte[] Eicar() => Encoding.ASCII.GetBytes(string.Concat(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!", "$H+H*"));

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        output.Write(length);
        var typeAndData = Concat(Encoding.ASCII.GetBytes(type), data);
        output.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        output.Write(crc);
    }

    // PNG's CRC-32 (ISO 3309, polynomial 0xEDB88320), bit by bit: fast enough for test files.
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
