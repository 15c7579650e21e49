using Bastion.Storage;
using Bastion.Uploads;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Uploads;

/// <summary>
/// A validator and a store over a fresh temporary storage directory and SQLite database (Bastion's migrations
/// applied, for the database store), deleted afterwards.
/// </summary>
internal sealed class UploadTestContext : IDisposable
{
    public UploadTestContext(IVirusScanner? scanner = null, Action<UploadOptions>? configure = null, TimeProvider? time = null, UploadStoreKind store = UploadStoreKind.Directory)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("bastion-uploads-test-").FullName;
        Options = new UploadOptions { StorageDirectory = Path.Combine(Directory, "uploads"), Store = store };
        configure?.Invoke(Options);
        Database = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(Directory, "bastion.db")};Pooling=False" };
        if (store == UploadStoreKind.Database)
        {
            new SchemaMigrator(DatabaseProvider.Sqlite, Database.ConnectionString, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        time ??= TimeProvider.System;
        IUploadBlobStore blobs = store == UploadStoreKind.Database
            ? new DatabaseUploadStore(Database, time)
            : new DirectoryUploadStore(Options.StorageDirectory!, time);
        Store = new UploadStore(blobs, new UploadTemporaryFiles(Options.StorageDirectory!), NullLogger<UploadStore>.Instance);
        Validator = new UploadValidator(Microsoft.Extensions.Options.Options.Create(Options), Store, scanner ?? new DisabledVirusScanner(), NullLogger<UploadValidator>.Instance);
        var db = new DbContextOptionsBuilder<BastionDbContext>();
        db.UseBastionDatabase(Database);
        Db = new BastionDbContext(db.Options);
    }

    public string Directory { get; }

    public UploadOptions Options { get; }

    public DatabaseOptions Database { get; }

    public UploadStore Store { get; }

    public UploadValidator Validator { get; }

    /// <summary>The context whose transaction the store joins.</summary>
    public BastionDbContext Db { get; }

    public string TemporaryDirectory => Path.Combine(Options.StorageDirectory!, "tmp");

    public Task<UploadValidationResult> ValidateAsync(string fileName, byte[] content, long? declaredLength = null)
        => Validator.ValidateAsync(fileName, declaredLength, new MemoryStream(content), CancellationToken.None);

    /// <summary>Stores the upload with nothing else recorded, and returns its key.</summary>
    public Task<string> SaveAsync(ValidatedUpload upload) => Store.SaveAsync(upload, Db, (key, _) => Task.FromResult(key), CancellationToken.None);

    /// <summary>The stored content of <paramref name="key"/>, or null when the store finds nothing.</summary>
    public async Task<byte[]?> ReadAsync(string key)
    {
        await using var stored = await Store.OpenReadAsync(key, CancellationToken.None);
        if (stored is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        return copy.ToArray();
    }

    public void Dispose()
    {
        Db.Dispose();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>A clock fixed at one instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
