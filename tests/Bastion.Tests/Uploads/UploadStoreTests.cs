using Bastion.Uploads;

namespace Bastion.Tests.Uploads;

public sealed class UploadStoreTests : IDisposable
{
    private readonly UploadTestContext _context = new(time: new FixedTimeProvider(new DateTimeOffset(2025, 3, 9, 23, 59, 0, TimeSpan.FromHours(-5))));

    [Fact]
    public async Task Save_UsesUtcYearMonthAndARandomName()
    {
        var key = await SaveCsvAsync();

        // 23:59 at UTC-5 is already the 10th in UTC; the month is the UTC month.
        Assert.Matches(@"\A2025/03/[0-9a-f]{32}\z", key);
        Assert.NotEqual(key, await SaveCsvAsync());
        Assert.Empty(Directory.GetFiles(_context.TemporaryDirectory));
    }

    [Fact]
    public async Task Save_SameUploadTwice_Throws()
    {
        var result = await _context.ValidateAsync("a.csv", SampleFiles.Csv());
        using var upload = result.Upload!;
        _context.Store.Save(upload);
        Assert.Throws<InvalidOperationException>(() => _context.Store.Save(upload));
    }

    [Fact]
    public async Task StoredFilesAndDirectories_AreReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var key = await SaveCsvAsync();
        var path = Path.Combine(_context.Options.StorageDirectory!, key);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\Windows\\win.ini")]
    [InlineData("2025/03/../../../etc/passwd")]
    [InlineData("2025/03/0123456789abcdef0123456789abcdef/../../x")]
    [InlineData("2025\\03\\0123456789abcdef0123456789abcdef")]
    [InlineData("2025/03/0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("2025/03/0123456789abcdef0123456789abcdef\n")]
    [InlineData("2025/03/0123456789abcdef0123456789abcdef.pdf")]
    [InlineData("2025/13/0123456789abcdef0123456789abcdef")]
    [InlineData("2025/3/0123456789abcdef0123456789abcdef")]
    [InlineData("./2025/03/0123456789abcdef0123456789abcdef")]
    [InlineData("2025/03/0123456789abcdef0123456789abcde")]
    [InlineData("2025/03/0123456789abcdef0123456789abcdef%00")]
    [InlineData("２０２５/03/0123456789abcdef0123456789abcdef")]
    public void OpenReadAndDelete_MalformedKey_FindNothing(string key)
    {
        Assert.Null(_context.Store.OpenRead(key));
        Assert.False(_context.Store.Delete(key));
    }

    [Fact]
    public async Task OpenRead_KeyThatHasTheRightShapeButNoFile_ReturnsNull()
    {
        await SaveCsvAsync();
        Assert.Null(_context.Store.OpenRead("2025/03/0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public async Task OpenReadAndDelete_StoredKeyWithATrailingNewline_FindNothing()
    {
        var key = await SaveCsvAsync();
        Assert.Null(_context.Store.OpenRead(key + "\n"));
        Assert.False(_context.Store.Delete(key + "\n"));
        await using var stored = _context.Store.OpenRead(key);
        Assert.NotNull(stored);
    }

    [Fact]
    public async Task Delete_StoredFile_RemovesIt()
    {
        var key = await SaveCsvAsync();
        Assert.True(_context.Store.Delete(key));
        Assert.Null(_context.Store.OpenRead(key));
        Assert.False(_context.Store.Delete(key));
    }

    private async Task<string> SaveCsvAsync()
    {
        var result = await _context.ValidateAsync("a.csv", SampleFiles.Csv());
        using var upload = result.Upload!;
        return _context.Store.Save(upload);
    }

    public void Dispose() => _context.Dispose();
}
