using System.Buffers.Binary;
using System.Text;
using Bastion.Uploads;

namespace Bastion.Tests.Uploads;

public sealed class FileTypeSnifferTests
{
    public static TheoryData<string, byte[]> ValidFiles => new()
    {
        { "Csv", SampleFiles.Csv() },
        { "Xlsx", SampleFiles.Xlsx() },
        { "Pdf", SampleFiles.Pdf() },
        { "Jpeg", SampleFiles.Jpeg() },
        { "Png", SampleFiles.Png() },
    };

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Detect_ValidFile_ReturnsItsType(string expected, byte[] content)
        => Assert.Equal(Enum.Parse<UploadFileType>(expected), Detect(content));

    [Fact]
    public void Detect_Executables_AreNoAllowedType()
    {
        Assert.Null(Detect(SampleFiles.WindowsExecutable()));
        Assert.Null(Detect(SampleFiles.LinuxExecutable()));
    }

    public static TheoryData<string, byte[]> Polyglots => new()
    {
        { "PNG + appended ZIP", SampleFiles.Concat(SampleFiles.Png(), SampleFiles.Xlsx()) },
        { "PNG + appended PE", SampleFiles.Concat(SampleFiles.Png(), SampleFiles.WindowsExecutable()) },
        { "PNG with a ZIP inside a chunk", SampleFiles.Png(extraChunk: SampleFiles.Xlsx()) },
        { "JPEG + appended ZIP", SampleFiles.Concat(SampleFiles.Jpeg(), SampleFiles.Xlsx()) },
        { "JPEG with a ZIP inside a comment", SampleFiles.Jpeg(comment: SampleFiles.Xlsx()) },
        { "JPEG + appended ELF", SampleFiles.Concat(SampleFiles.Jpeg(), SampleFiles.LinuxExecutable()) },
        { "JPEG + appended HTML", SampleFiles.Concat(SampleFiles.Jpeg(), "<script>alert(1)</script>"u8.ToArray()) },
        { "PDF + appended PE", SampleFiles.Concat(SampleFiles.Pdf(), SampleFiles.WindowsExecutable()) },
        { "PDF that is also a ZIP", SampleFiles.Pdf(body: SampleFiles.Xlsx()) },
        { "PE with a PDF after its header", SampleFiles.Concat(SampleFiles.WindowsExecutable(), SampleFiles.Pdf()) },
        { "XLSX + appended PE", SampleFiles.Concat(SampleFiles.Xlsx(), SampleFiles.WindowsExecutable()) },
    };

    [Theory]
    [MemberData(nameof(Polyglots))]
    public void Detect_Polyglot_IsRefused(string description, byte[] content)
    {
        Assert.NotNull(description);
        Assert.Null(Detect(content));
    }

    [Fact]
    public void Detect_PngWithTrailingBytesOrTruncated_IsRefused()
    {
        var png = SampleFiles.Png();
        Assert.Null(Detect(SampleFiles.Concat(png, [0])));
        Assert.Null(Detect(png[..^12]));
    }

    [Fact]
    public void Detect_PngDeclaringAHugeCanvas_IsRefused()
        => Assert.Null(Detect(SampleFiles.Png(width: 100_000, height: 100_000)));

    [Fact]
    public void Detect_JpegWithoutEndMarker_IsRefused() => Assert.Null(Detect(SampleFiles.Jpeg()[..^2]));

    [Fact]
    public void Detect_PdfWithTrailingNewlines_IsAccepted()
        => Assert.Equal(UploadFileType.Pdf, Detect(SampleFiles.Concat(SampleFiles.Pdf(), "\r\n\r\n"u8.ToArray())));

    [Fact]
    public void Detect_PdfSignatureNotAtStart_IsRefused()
        => Assert.Null(Detect(SampleFiles.Concat("junk\n"u8.ToArray(), SampleFiles.Pdf())));

    [Fact]
    public void Detect_MacroEnabledWorkbook_IsRefused()
    {
        Assert.Null(Detect(SampleFiles.Xlsx(macroEnabled: true)));
        Assert.Null(Detect(SampleFiles.Xlsx(extraEntries: [("xl/vbaProject.bin", "macros")])));
    }

    [Fact]
    public void Detect_JpegWithAComment_IsAccepted()
        => Assert.Equal(UploadFileType.Jpeg, Detect(SampleFiles.Jpeg(comment: "Taken on holiday"u8.ToArray())));

    [Fact]
    public void Detect_WorkbookThatAlsoDeclaresMacroParts_IsRefused()
    {
        var workbook = SampleFiles.Xlsx();
        var entries = new List<(string, string)>();
        using (var archive = new System.IO.Compression.ZipArchive(new MemoryStream(workbook)))
        {
            foreach (var entry in archive.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                var content = reader.ReadToEnd();
                entries.Add((entry.FullName, entry.FullName == "[Content_Types].xml"
                    ? content.Replace("</Types>", "<Override PartName=\"/xl/macrosheets/sheet2.xml\" ContentType=\"application/vnd.ms-excel.sheet.macroEnabled.main+xml\"/></Types>", StringComparison.Ordinal)
                    : content));
            }
        }

        Assert.Null(Detect(SampleFiles.Zip(entries)));
    }

    [Fact]
    public void Detect_ZipThatIsNoWorkbook_IsRefused()
        => Assert.Null(Detect(SampleFiles.Zip([("readme.txt", "hello")])));

    [Fact]
    public void Detect_WorkbookWithTraversingEntryName_IsRefused()
        => Assert.Null(Detect(SampleFiles.Xlsx(extraEntries: [("../../evil.sh", "#!/bin/sh")])));

    [Fact]
    public void Detect_WorkbookDeclaringAHugeUncompressedSize_IsRefused()
    {
        // Zip-bomb shape: the central directory promises gigabytes for the last part (a worksheet); nothing is
        // decompressed to find out.
        var zip = SampleFiles.Xlsx();
        var directory = zip.AsSpan().LastIndexOf("PK\u0001\u0002"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(directory + 24), 0xFFFF0000);
        Assert.Null(Detect(zip));
    }

    [Fact]
    public void Detect_ZipWithTooManyEntries_IsRefused()
    {
        var entries = Enumerable.Range(0, 10_001).Select(i => ($"xl/f{i}.xml", ""));
        Assert.Null(Detect(SampleFiles.Xlsx(extraEntries: entries)));
    }

    [Theory]
    [InlineData("<html><body>hi</body></html>")]
    [InlineData("\uFEFF  \r\n<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")]
    [InlineData("<?xml version=\"1.0\"?><x/>")]
    [InlineData("name,comment\r\nx,<SCRIPT>alert(1)</script>\r\n")]
    public void Detect_MarkupOrScriptAsText_IsRefused(string text) => Assert.Null(Detect(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)',', 0, (byte)'b' })]
    [InlineData(new byte[] { (byte)'a', (byte)',', 0x1B, (byte)'b' })]
    [InlineData(new byte[] { (byte)'a', (byte)',', 0xC3, 0x28 })]
    [InlineData(new byte[] { (byte)'a', (byte)',', 0xC2, 0x85 })]
    [InlineData(new byte[] { (byte)' ', (byte)'\r', (byte)'\n' })]
    [InlineData(new byte[] { (byte)'M', (byte)'Z', (byte)'a', (byte)',', (byte)'b' })]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'x' })]
    public void Detect_TextThatIsNotPlainCsv_IsRefused(byte[] content) => Assert.Null(Detect(content));

    [Fact]
    public void Detect_CsvWithBomTabsAndUnicode_IsAccepted()
        => Assert.Equal(UploadFileType.Csv, Detect(Encoding.UTF8.GetBytes("\uFEFFname\tcity\r\nZoë\tZürich\n")));

    [Fact]
    public void Detect_CsvLargerThanOneReadBuffer_WithScriptAcrossTheBoundary_IsRefused()
    {
        var text = new string('a', (16 * 1024) - 3) + "<script>";
        Assert.Null(Detect(Encoding.UTF8.GetBytes(text)));
    }

    private static UploadFileType? Detect(byte[] content)
    {
        using var stream = new MemoryStream(content);
        return FileTypeSniffer.Detect(stream);
    }
}
