using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Bastion.Uploads;

/// <summary>
/// Scans with clamd's INSTREAM command (clamd(8), "INSTREAM"): <c>zINSTREAM\0</c>, then the content in chunks that
/// each start with their length as a 4-byte big-endian integer, then a zero length; clamd answers
/// <c>stream: OK</c> or <c>stream: &lt;signature&gt; FOUND</c>, NUL-terminated. The file never has to be readable
/// by clamd's user, and clamd can run on another host. Over TCP the content travels unencrypted: keep clamd on
/// loopback or a private network. clamd's StreamMaxLength must be at least Bastion:Uploads:MaxBytes, or it
/// answers every larger file with an error (reported as unavailable).
/// </summary>
internal sealed class ClamAvScanner(IOptions<UploadOptions> options) : IVirusScanner
{
    private const int ChunkSize = 64 * 1024;
    private const int MaxReplyLength = 1024;
    private const string Prefix = "stream: ";
    private const string FoundSuffix = " FOUND";

    public bool IsEnabled => options.Value.ClamAv.IsEnabled;

    public async Task<VirusScanResult> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var settings = options.Value.ClamAv;
        if (!settings.IsEnabled)
        {
            throw new InvalidOperationException("No virus scanner is configured (Bastion:Uploads:ClamAv).");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var socket = await ConnectAsync(settings, timeout.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await SendAsync(stream, content, timeout.Token);
            return Interpret(await ReceiveAsync(stream, timeout.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return VirusScanResult.Unavailable(string.Create(CultureInfo.InvariantCulture, $"clamd did not answer within {settings.Timeout.TotalSeconds:0.#} s."));
        }
        catch (Exception exception) when (exception is SocketException or IOException)
        {
            return VirusScanResult.Unavailable($"clamd could not be reached or closed the connection: {exception.Message}");
        }
    }

    private static async Task<Socket> ConnectAsync(ClamAvOptions settings, CancellationToken cancellationToken)
    {
        var unix = !string.IsNullOrWhiteSpace(settings.Socket);
        var socket = unix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            EndPoint endPoint = unix ? new UnixDomainSocketEndPoint(settings.Socket!) : new DnsEndPoint(settings.Host!, settings.Port);
            await socket.ConnectAsync(endPoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task SendAsync(NetworkStream stream, Stream content, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("zINSTREAM\0"u8.ToArray(), cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(4 + ChunkSize);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(4, ChunkSize), cancellationToken)) > 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
                await stream.WriteAsync(buffer.AsMemory(0, 4 + read), cancellationToken);
            }

            BinaryPrimitives.WriteUInt32BigEndian(buffer, 0);
            await stream.WriteAsync(buffer.AsMemory(0, 4), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<string> ReceiveAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var reply = new byte[MaxReplyLength];
        var length = 0;
        while (length < reply.Length)
        {
            var read = await stream.ReadAsync(reply.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (reply.AsSpan(length - read, read).Contains((byte)0))
            {
                break;
            }
        }

        var text = Encoding.UTF8.GetString(reply, 0, length);
        var end = text.IndexOf('\0', StringComparison.Ordinal);
        return (end >= 0 ? text[..end] : text).Trim();
    }

    internal static VirusScanResult Interpret(string reply)
    {
        if (reply == Prefix + "OK")
        {
            return VirusScanResult.Clean;
        }

        if (reply.StartsWith(Prefix, StringComparison.Ordinal) && reply.EndsWith(FoundSuffix, StringComparison.Ordinal)
            && reply.Length > Prefix.Length + FoundSuffix.Length)
        {
            return VirusScanResult.Infected(reply[Prefix.Length..^FoundSuffix.Length]);
        }

        // "INSTREAM size limit exceeded. ERROR", an empty reply when clamd dropped the connection, or anything else.
        return VirusScanResult.Unavailable(reply.Length == 0 ? "clamd closed the connection without an answer." : $"clamd answered: {reply}");
    }
}
