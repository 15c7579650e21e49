using System.Security.Cryptography;
using Bastion.Uploads;

namespace Bastion.Tests.Uploads;

/// <summary>What every upload store does, run against the directory and the database.</summary>
public abstract class UploadStoreContract : IDisposable
{
    private protected UploadStoreContract(UploadStoreKind kind)
    {
        Context = new UploadTestContext(time: new FixedTimeProvider(new DateTimeOffset(2025, 3, 9, 23, 59, 0, TimeSpan.FromHours(-5))), store: kind);
    }

    private protected UploadTestContext Context { get; }

    [Fact]
    public async Task Save_UsesUtcYearMonthAndARandomName_AndLeavesNoTemporaryFile()
    {
        var key = await SaveCsvAsync();

        // 23:59 at UTC-5 is already the 10th in UTC; the month is the UTC month.
        Assert.Matches(@"\A2025/03/[0-9a-f]{32}\z", key);
        Assert.NotEqual(key, await SaveCsvAsync());
        Assert.Empty(Directory.GetFiles(Context.TemporaryDirectory));
    }

    [Fact]
    public async Task Save_SameUploadTwice_Throws()
    {
        var result = await Context.ValidateAsync("a.csv", SampleFiles.Csv());
        using var upload = result.Upload!;
        await Context.SaveAsync(upload);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Context.SaveAsync(upload));
    }

    [Fact]
    public async Task SaveThenOpenRead_LargeFile_ReturnsTheSameBytes()
    {
        var content = SampleFiles.Pdf(RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
        var result = await Context.ValidateAsync("big.pdf", content);
        using var upload = result.Upload!;

        var key = await Context.SaveAsync(upload);

        Assert.Equal(content, await Context.ReadAsync(key));
    }

    [Fact]
    public async Task Save_WhenRecordingTheRowFails_StoresNothing()
    {
        var result = await Context.ValidateAsync("a.csv", SampleFiles.Csv());
        using var upload = result.Upload!;
        string? stored = null;

        await Assert.ThrowsAsync<TimeoutException>(() => Context.Store.SaveAsync<string>(upload, Context.Db, (key, _) =>
        {
            stored = key;
            throw new TimeoutException("the row could not be written");
        }, CancellationToken.None));

        Assert.NotNull(stored);
        Assert.Null(await Context.ReadAsync(stored));
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
    [InlineData("2025/03/0123456789abcdef0123456789abcdef' OR '1'='1")]
    public async Task OpenRead_MalformedKey_FindsNothing(string key) => Assert.Null(await Context.ReadAsync(key));

    [Fact]
    public async Task OpenRead_KeyThatHasTheRightShapeButNoContent_FindsNothing()
    {
        await SaveCsvAsync();
        Assert.Null(await Context.ReadAsync("2025/03/0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public async Task OpenRead_StoredKeyWithATrailingNewline_FindsNothing()
    {
        var key = await SaveCsvAsync();
        Assert.Null(await Context.ReadAsync(key + "\n"));
        Assert.NotNull(await Context.ReadAsync(key));
    }

    [Fact]
    public async Task Delete_AfterTheReferencesAreRemoved_RemovesTheContent()
    {
        var key = await SaveCsvAsync();
        var removed = false;

        await Context.Store.DeleteAsync([key], Context.Db, _ =>
        {
            removed = true;
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.True(removed);
        Assert.Null(await Context.ReadAsync(key));
    }

    [Fact]
    public async Task Delete_WhenRemovingTheReferencesFails_KeepsTheContent()
    {
        var key = await SaveCsvAsync();

        await Assert.ThrowsAsync<TimeoutException>(() => Context.Store.DeleteAsync([key], Context.Db,
            _ => throw new TimeoutException("the row could not be deleted"), CancellationToken.None));

        Assert.Equal(SampleFiles.Csv(), await Context.ReadAsync(key));
    }

    private protected async Task<string> SaveCsvAsync()
    {
        var result = await Context.ValidateAsync("a.csv", SampleFiles.Csv());
        using var upload = result.Upload!;
        return await Context.SaveAsync(upload);
    }

    public void Dispose()
    {
        Context.Dispose();
        GC.SuppressFinalize(this);
    }
}
