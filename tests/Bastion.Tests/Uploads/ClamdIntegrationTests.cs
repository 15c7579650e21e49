using Bastion.Uploads;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Uploads;

/// <summary>The scanner and the validator against a real clamd (see <see cref="ClamdProcess"/>).</summary>
public sealed class ClamdIntegrationTests(ClamdProcess clamd) : IClassFixture<ClamdProcess>
{
    [Fact]
    public async Task EicarUploadedAsCsv_IsRefusedAsInfected()
    {
        using var context = Context(o => o.Socket = clamd.SocketPath);
        var result = await context.ValidateAsync("payload.csv", SampleFiles.Eicar());
        Assert.Equal(UploadErrorCodes.FileInfected, result.Error?.Code);
    }

    [Fact]
    public async Task CleanPdf_IsAccepted()
    {
        using var context = Context(o => o.Socket = clamd.SocketPath);
        var result = await context.ValidateAsync("contract.pdf", SampleFiles.Pdf());
        Assert.True(result.Succeeded, result.Error?.Message);
        result.Upload.Dispose();
    }

    [Fact]
    public async Task EicarInsideAPdf_IsFoundOverTcp()
    {
        var scanner = new ClamAvScanner(Options.Create(Configure(o => (o.Host, o.Port) = ("127.0.0.1", clamd.Port))));
        var result = await scanner.ScanAsync(new MemoryStream(SampleFiles.Pdf(body: SampleFiles.Eicar())), CancellationToken.None);
        Assert.Equal(VirusScanVerdict.Infected, result.Verdict);
        Assert.StartsWith(ClamdProcess.SignatureName, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileOverClamdStreamMaxLength_IsUnavailable()
    {
        var scanner = new ClamAvScanner(Options.Create(Configure(o => o.Socket = clamd.SocketPath)));
        var result = await scanner.ScanAsync(new MemoryStream(new byte[21 * 1024 * 1024]), CancellationToken.None);
        Assert.Equal(VirusScanVerdict.Unavailable, result.Verdict);
    }

    private static UploadTestContext Context(Action<ClamAvOptions> configure)
    {
        var options = Configure(configure);
        return new UploadTestContext(new ClamAvScanner(Options.Create(options)), o => configure(o.ClamAv));
    }

    private static UploadOptions Configure(Action<ClamAvOptions> configure)
    {
        var options = new UploadOptions();
        configure(options.ClamAv);
        return options;
    }
}
