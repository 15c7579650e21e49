using System.Net;
using System.Net.Sockets;
using Bastion.Uploads;
using Microsoft.Extensions.Options;

namespace Bastion.Tests.Uploads;

public sealed class ClamAvScannerTests
{
    [Fact]
    public async Task ScanAsync_SendsInstreamChunksAndReportsTheSignatureFound()
    {
        await using var clamd = FakeClamd.StartUnix("stream: Win.Test.EICAR_HDB-1 FOUND");
        var content = new byte[200_000];
        Random.Shared.NextBytes(content);

        var result = await Scanner(o => o.Socket = clamd.SocketPath).ScanAsync(new MemoryStream(content), CancellationToken.None);

        Assert.Equal(VirusScanVerdict.Infected, result.Verdict);
        Assert.Equal("Win.Test.EICAR_HDB-1", result.Detail);
        Assert.Equal("zINSTREAM", clamd.Command);
        Assert.True(clamd.ChunkLengths.Count > 1);
        Assert.Equal(content, clamd.Received);
    }

    [Fact]
    public async Task ScanAsync_OverTcp_ReportsClean()
    {
        await using var clamd = FakeClamd.StartTcp("stream: OK");
        var result = await Scanner(o => (o.Host, o.Port) = ("127.0.0.1", clamd.Port)).ScanAsync(new MemoryStream(SampleFiles.Pdf()), CancellationToken.None);
        Assert.Equal(VirusScanVerdict.Clean, result.Verdict);
        Assert.Equal(SampleFiles.Pdf(), clamd.Received);
    }

    [Fact]
    public async Task ScanAsync_ErrorReply_IsUnavailable()
    {
        await using var clamd = FakeClamd.StartUnix("INSTREAM size limit exceeded. ERROR");
        var result = await Scanner(o => o.Socket = clamd.SocketPath).ScanAsync(new MemoryStream([1, 2, 3]), CancellationToken.None);
        Assert.Equal(VirusScanVerdict.Unavailable, result.Verdict);
        Assert.Contains("size limit", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_SocketAbsent_IsUnavailable()
    {
        var result = await Scanner(o => o.Socket = Path.Combine(Path.GetTempPath(), $"no-clamd-{Guid.NewGuid():N}.sock"))
            .ScanAsync(new MemoryStream([1]), CancellationToken.None);
        Assert.Equal(VirusScanVerdict.Unavailable, result.Verdict);
    }

    [Fact]
    public async Task ScanAsync_TcpPortClosed_IsUnavailable()
    {
        var result = await Scanner(o => (o.Host, o.Port) = ("127.0.0.1", UnusedPort())).ScanAsync(new MemoryStream([1]), CancellationToken.None);
        Assert.Equal(VirusScanVerdict.Unavailable, result.Verdict);
    }

    [Fact]
    public async Task ScanAsync_ClamdThatNeverAnswers_IsUnavailableAfterTheTimeout()
    {
        await using var clamd = FakeClamd.StartUnix(reply: null);
        var started = TimeProvider.System.GetTimestamp();
        var result = await Scanner(o => (o.Socket, o.Timeout) = (clamd.SocketPath, TimeSpan.FromMilliseconds(300)))
            .ScanAsync(new MemoryStream([1]), CancellationToken.None);
        Assert.Equal(VirusScanVerdict.Unavailable, result.Verdict);
        Assert.Contains("did not answer", result.Detail, StringComparison.Ordinal);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ValidateAsync_WithFailClosedAndNoClamd_RefusesAsScannerUnavailable()
    {
        var options = new UploadOptions();
        options.ClamAv.Socket = Path.Combine(Path.GetTempPath(), $"no-clamd-{Guid.NewGuid():N}.sock");
        using var context = new UploadTestContext(new ClamAvScanner(Options.Create(options)));

        var result = await context.ValidateAsync("report.pdf", SampleFiles.Pdf());

        Assert.Equal(UploadErrorCodes.ScannerUnavailable, result.Error?.Code);
    }

    [Theory]
    [InlineData("stream: OK", "Clean", null)]
    [InlineData("stream: Eicar-Signature FOUND", "Infected", "Eicar-Signature")]
    [InlineData("stream:  FOUND", "Unavailable", null)]
    [InlineData("stream: OK FOUND", "Infected", "OK")]
    [InlineData("UNKNOWN COMMAND", "Unavailable", null)]
    [InlineData("", "Unavailable", null)]
    public void Interpret_MapsClamdReplies(string reply, string verdict, string? signature)
    {
        var result = ClamAvScanner.Interpret(reply);
        Assert.Equal(Enum.Parse<VirusScanVerdict>(verdict), result.Verdict);
        if (signature is not null)
        {
            Assert.Equal(signature, result.Detail);
        }
    }

    private static ClamAvScanner Scanner(Action<ClamAvOptions> configure)
    {
        var options = new UploadOptions();
        configure(options.ClamAv);
        return new ClamAvScanner(Options.Create(options));
    }

    private static int UnusedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
