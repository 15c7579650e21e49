using Bastion.Uploads;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Uploads;

/// <summary>A validator and a store over a fresh temporary storage directory, deleted afterwards.</summary>
internal sealed class UploadTestContext : IDisposable
{
    public UploadTestContext(IVirusScanner? scanner = null, Action<UploadOptions>? configure = null, TimeProvider? time = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("bastion-uploads-test-").FullName;
        Options = new UploadOptions { StorageDirectory = Path.Combine(Directory, "uploads") };
        configure?.Invoke(Options);
        Store = new UploadStore(Microsoft.Extensions.Options.Options.Create(Options), time ?? TimeProvider.System);
        Validator = new UploadValidator(Microsoft.Extensions.Options.Options.Create(Options), Store, scanner ?? new DisabledVirusScanner(), NullLogger<UploadValidator>.Instance);
    }

    public string Directory { get; }

    public UploadOptions Options { get; }

    public UploadStore Store { get; }

    public UploadValidator Validator { get; }

    public string TemporaryDirectory => Path.Combine(Options.StorageDirectory!, "tmp");

    public Task<UploadValidationResult> ValidateAsync(string fileName, byte[] content, long? declaredLength = null)
        => Validator.ValidateAsync(fileName, declaredLength, new MemoryStream(content), CancellationToken.None);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>A clock fixed at one instant.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
