using Bastion.Uploads;

namespace Bastion.Tests.Uploads;

public sealed class UploadValidatorTests : IDisposable
{
    private readonly UploadTestContext _context = new();

    public static TheoryData<string, byte[], string> AllowedFiles => new()
    {
        { "people.csv", SampleFiles.Csv(), "Csv" },
        { "budget.xlsx", SampleFiles.Xlsx(), "Xlsx" },
        { "contract.pdf", SampleFiles.Pdf(), "Pdf" },
        { "photo.jpg", SampleFiles.Jpeg(), "Jpeg" },
        { "diagram.png", SampleFiles.Png(), "Png" },
    };

    [Theory]
    [MemberData(nameof(AllowedFiles))]
    public async Task ValidateAsync_AllowedFile_IsAcceptedAndCanBeStored(string fileName, byte[] content, string type)
    {
        var result = await _context.ValidateAsync(fileName, content, content.Length);

        Assert.True(result.Succeeded, result.Error?.Message);
        using var upload = result.Upload;
        Assert.Equal(Enum.Parse<UploadFileType>(type), upload.FileType);
        Assert.Equal(content.Length, upload.Length);
        Assert.Equal(fileName, upload.DisplayName);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), upload.Sha256);

        var key = await _context.SaveAsync(upload);
        Assert.Equal(content, await _context.ReadAsync(key));
    }

    [Theory]
    [InlineData("setup.pdf")]
    [InlineData("setup.png")]
    [InlineData("setup.jpg")]
    [InlineData("setup.csv")]
    [InlineData("setup.xlsx")]
    public async Task ValidateAsync_RenamedExecutable_IsRefusedAsContentMismatch(string fileName)
    {
        await AssertRefused(UploadErrorCodes.FileContentMismatch, fileName, SampleFiles.WindowsExecutable());
        await AssertRefused(UploadErrorCodes.FileContentMismatch, fileName, SampleFiles.LinuxExecutable());
    }

    [Fact]
    public async Task ValidateAsync_ValidFileWithAnotherAllowedExtension_IsRefusedAsContentMismatch()
    {
        await AssertRefused(UploadErrorCodes.FileContentMismatch, "photo.png", SampleFiles.Jpeg());
        await AssertRefused(UploadErrorCodes.FileContentMismatch, "sheet.csv", SampleFiles.Pdf());
    }

    [Fact]
    public async Task ValidateAsync_Polyglot_IsRefusedAsContentMismatch()
    {
        await AssertRefused(UploadErrorCodes.FileContentMismatch, "image.png", SampleFiles.Concat(SampleFiles.Png(), SampleFiles.Xlsx()));
        await AssertRefused(UploadErrorCodes.FileContentMismatch, "image.jpg", SampleFiles.Concat(SampleFiles.Jpeg(), SampleFiles.WindowsExecutable()));
        await AssertRefused(UploadErrorCodes.FileContentMismatch, "doc.pdf", SampleFiles.Pdf(body: SampleFiles.Xlsx()));
    }

    [Fact]
    public async Task ValidateAsync_HtmlAsCsv_IsRefusedAsContentMismatch()
        => await AssertRefused(UploadErrorCodes.FileContentMismatch, "list.csv", "<html><script>alert(1)</script></html>"u8.ToArray());

    [Theory]
    [InlineData("invoice.pdf.exe")]
    [InlineData("run.sh")]
    [InlineData("page.html")]
    [InlineData("image.svg")]
    [InlineData("noextension")]
    [InlineData("archive.zip")]
    [InlineData("invoice\u202Efdp.exe")]
    [InlineData("invoice.pdf\0.exe")]
    public async Task ValidateAsync_ExtensionNotAllowed_IsRefused(string fileName)
        => await AssertRefused(UploadErrorCodes.FileTypeNotAllowed, fileName, SampleFiles.Pdf());

    [Fact]
    public async Task ValidateAsync_JpegExtensionNotInTheAllowlist_IsRefused()
        => await AssertRefused(UploadErrorCodes.FileTypeNotAllowed, "photo.jpeg", SampleFiles.Jpeg());

    [Fact]
    public async Task ValidateAsync_ExecutableBehindAnAllowedLastExtension_IsRefusedByContent()
        => await AssertRefused(UploadErrorCodes.FileContentMismatch, "invoice.exe.pdf", SampleFiles.WindowsExecutable());

    [Fact]
    public async Task ValidateAsync_EmptyFile_IsRefused() => await AssertRefused(UploadErrorCodes.FileEmpty, "empty.csv", []);

    [Fact]
    public async Task ValidateAsync_FileOfExactlyMaxBytes_IsAccepted()
    {
        using var context = new UploadTestContext(configure: o => o.MaxBytes = 1024);
        var result = await context.ValidateAsync("big.csv", CsvOfLength(1024));
        Assert.True(result.Succeeded, result.Error?.Message);
        result.Upload.Dispose();
    }

    [Fact]
    public async Task ValidateAsync_FileOfMaxBytesPlusOne_IsRefused()
    {
        using var context = new UploadTestContext(configure: o => o.MaxBytes = 1024);
        var result = await context.ValidateAsync("big.csv", CsvOfLength(1025));
        Assert.Equal(UploadErrorCodes.FileTooLarge, result.Error?.Code);
    }

    [Fact]
    public async Task ValidateAsync_EndlessStreamWithSmallDeclaredLength_ReadsAtMostMaxBytesPlusOne()
    {
        using var context = new UploadTestContext(configure: o => o.MaxBytes = 4096);
        var endless = new EndlessStream();

        var result = await context.Validator.ValidateAsync("big.csv", declaredLength: 10, endless, CancellationToken.None);

        Assert.Equal(UploadErrorCodes.FileTooLarge, result.Error?.Code);
        Assert.Equal(4097, endless.BytesRead);
    }

    [Fact]
    public async Task ValidateAsync_DeclaredLengthOverTheLimit_IsRefusedWithoutReading()
    {
        var stream = new EndlessStream();
        var result = await _context.Validator.ValidateAsync("big.csv", _context.Options.MaxBytes + 1, stream, CancellationToken.None);
        Assert.Equal(UploadErrorCodes.FileTooLarge, result.Error?.Code);
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task ValidateAsync_DeclaredLengthDifferentFromContent_IsRefused()
    {
        var csv = SampleFiles.Csv();
        await AssertRefused(UploadErrorCodes.FileContentMismatch, "people.csv", csv, declaredLength: csv.Length + 100);
        await AssertRefused(UploadErrorCodes.FileContentMismatch, "people.csv", csv, declaredLength: csv.Length - 1);
    }

    [Theory]
    [InlineData("../../../etc/cron.d/job.csv", "job.csv")]
    [InlineData("..\\..\\web.config\\x.csv", "x.csv")]
    [InlineData("CON.csv", "_CON.csv")]
    [InlineData("a\0b.csv", "ab.csv")]
    public async Task ValidateAsync_HostileName_IsOnlyADisplayName(string fileName, string displayName)
    {
        var result = await _context.ValidateAsync(fileName, SampleFiles.Csv());
        Assert.True(result.Succeeded, result.Error?.Message);
        using var upload = result.Upload;
        Assert.Equal(displayName, upload.DisplayName);

        var key = await _context.SaveAsync(upload);
        Assert.Matches(@"\A[0-9]{4}/[0-9]{2}/[0-9a-f]{32}\z", key);
        var stored = Directory.GetFiles(_context.Options.StorageDirectory!, "*", SearchOption.AllDirectories);
        Assert.Equal(Path.Combine(_context.Options.StorageDirectory!, key), Assert.Single(stored));
    }

    [Fact]
    public async Task ValidateAsync_VeryLongName_IsShortenedKeepingTheExtension()
    {
        var result = await _context.ValidateAsync(new string('n', 300) + ".csv", SampleFiles.Csv());
        using var upload = result.Upload!;
        Assert.Equal(100, upload.DisplayName.Length);
        Assert.EndsWith(".csv", upload.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_Refusal_LeavesNoTemporaryFile()
    {
        await _context.ValidateAsync("setup.pdf", SampleFiles.WindowsExecutable());
        await _context.ValidateAsync("empty.csv", []);
        Assert.Empty(Directory.GetFiles(_context.TemporaryDirectory));
    }

    [Fact]
    public async Task DisposingAnUnstoredUpload_DeletesItsTemporaryFile()
    {
        var result = await _context.ValidateAsync("people.csv", SampleFiles.Csv());
        Assert.Single(Directory.GetFiles(_context.TemporaryDirectory));
        result.Upload!.Dispose();
        Assert.Empty(Directory.GetFiles(_context.TemporaryDirectory));
    }

    [Fact]
    public async Task ValidateAsync_InfectedFile_IsRefused()
    {
        var scanner = new FakeVirusScanner(VirusScanResult.Infected("Eicar-Test-Signature"));
        using var context = new UploadTestContext(scanner);
        var result = await context.ValidateAsync("report.pdf", SampleFiles.Pdf());
        Assert.Equal(UploadErrorCodes.FileInfected, result.Error?.Code);
        Assert.Equal(SampleFiles.Pdf(), scanner.Scanned);
    }

    [Fact]
    public async Task ValidateAsync_ScannerUnavailableAndFailClosed_IsRefused()
    {
        using var context = new UploadTestContext(new FakeVirusScanner(VirusScanResult.Unavailable("down")));
        var result = await context.ValidateAsync("report.pdf", SampleFiles.Pdf());
        Assert.Equal(UploadErrorCodes.ScannerUnavailable, result.Error?.Code);
        Assert.Equal(503, UploadErrorCodes.StatusCode(result.Error!.Code));
    }

    [Fact]
    public async Task ValidateAsync_ScannerUnavailableAndFailOpen_IsAccepted()
    {
        using var context = new UploadTestContext(new FakeVirusScanner(VirusScanResult.Unavailable("down")), o => o.ClamAv.FailClosed = false);
        var result = await context.ValidateAsync("report.pdf", SampleFiles.Pdf());
        Assert.True(result.Succeeded);
        result.Upload.Dispose();
    }

    [Fact]
    public async Task ValidateAsync_WrongTypeIsRefusedBeforeTheScanner()
    {
        var scanner = new FakeVirusScanner(VirusScanResult.Clean);
        using var context = new UploadTestContext(scanner);
        await context.ValidateAsync("setup.pdf", SampleFiles.WindowsExecutable());
        Assert.Null(scanner.Scanned);
    }

    private async Task AssertRefused(string code, string fileName, byte[] content, long? declaredLength = null)
    {
        var result = await _context.ValidateAsync(fileName, content, declaredLength);
        Assert.False(result.Succeeded);
        Assert.Equal(code, result.Error.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
    }

    private static byte[] CsvOfLength(int length) => [.. "a,b\n"u8, .. Enumerable.Repeat((byte)'x', length - 4)];

    public void Dispose() => _context.Dispose();
}
