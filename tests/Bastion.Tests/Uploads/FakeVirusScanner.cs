using Bastion.Uploads;

namespace Bastion.Tests.Uploads;

/// <summary>A scanner that gives a fixed verdict and records what it was shown.</summary>
internal sealed class FakeVirusScanner(VirusScanResult verdict) : IVirusScanner
{
    public bool IsEnabled => true;

    public byte[]? Scanned { get; private set; }

    public async Task<VirusScanResult> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        Scanned = copy.ToArray();
        return verdict;
    }
}

/// <summary>No scanner configured.</summary>
internal sealed class DisabledVirusScanner : IVirusScanner
{
    public bool IsEnabled => false;

    public Task<VirusScanResult> ScanAsync(Stream content, CancellationToken cancellationToken)
        => throw new InvalidOperationException("A disabled scanner must not be called.");
}
