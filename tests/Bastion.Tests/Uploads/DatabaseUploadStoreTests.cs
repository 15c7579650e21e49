using Bastion.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Bastion.Tests.Uploads;

public sealed class DatabaseUploadStoreTests() : UploadStoreContract(UploadStoreKind.Database)
{
    [Fact]
    public async Task Save_KeepsNothingOnDisk_AndRecordsLengthAndHash()
    {
        var result = await Context.ValidateAsync("a.csv", SampleFiles.Csv());
        var upload = result.Upload!;

        var key = await Context.SaveAsync(upload);
        upload.Dispose();

        Assert.Empty(Directory.GetFiles(Context.Options.StorageDirectory!, "*", SearchOption.AllDirectories));
        var row = await Context.Db.Database.SqlQueryRaw<BlobRow>("SELECT length AS Length, sha256 AS Sha256 FROM upload_blobs WHERE key = {0}", key).SingleAsync();
        Assert.Equal(new BlobRow(upload.Length, upload.Sha256), row);
    }

    [Fact]
    public async Task Save_InsideTheCallersTransaction_IsUndoneByItsRollback()
    {
        var result = await Context.ValidateAsync("a.csv", SampleFiles.Csv());
        using var upload = result.Upload!;

        string key;
        await using (var transaction = await Context.Db.Database.BeginTransactionAsync())
        {
            key = await Context.SaveAsync(upload);
            await transaction.RollbackAsync();
        }

        Assert.Null(await Context.ReadAsync(key));
    }

    private sealed record BlobRow(long Length, string Sha256);
}
