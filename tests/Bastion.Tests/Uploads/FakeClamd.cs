using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bastion.Tests.Uploads;

/// <summary>
/// A stand-in for clamd that speaks the server side of INSTREAM: it records the command and the chunks it was
/// sent and answers with a fixed reply (or never, to test timeouts).
/// </summary>
internal sealed class FakeClamd : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string? _directory;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private FakeClamd(Socket listener, string? directory, string? reply)
    {
        _listener = listener;
        _directory = directory;
        _loop = AcceptAsync(reply);
    }

    public string? SocketPath => _directory is null ? null : Path.Combine(_directory, "clamd.sock");

    public int Port => _listener.LocalEndPoint is IPEndPoint ip ? ip.Port : 0;

    public string? Command { get; private set; }

    public List<int> ChunkLengths { get; } = [];

    public byte[] Received { get; private set; } = [];

    /// <summary>Listens on a Unix socket; a null <paramref name="reply"/> means never answering.</summary>
    public static FakeClamd StartUnix(string? reply)
    {
        var directory = Directory.CreateTempSubdirectory("bastion-fake-clamd-").FullName;
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(directory, "clamd.sock")));
        listener.Listen();
        return new FakeClamd(listener, directory, reply);
    }

    public static FakeClamd StartTcp(string reply)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return new FakeClamd(listener, null, reply);
    }

    private async Task AcceptAsync(string? reply)
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptAsync(_stopping.Token);
                await using var stream = new NetworkStream(client);
                Command = await ReadCommandAsync(stream);
                using var received = new MemoryStream();
                var header = new byte[4];
                while (true)
                {
                    await stream.ReadExactlyAsync(header, _stopping.Token);
                    var length = BinaryPrimitives.ReadInt32BigEndian(header);
                    if (length == 0)
                    {
                        break;
                    }

                    ChunkLengths.Add(length);
                    var chunk = new byte[length];
                    await stream.ReadExactlyAsync(chunk, _stopping.Token);
                    received.Write(chunk);
                }

                Received = received.ToArray();
                if (reply is null)
                {
                    await Task.Delay(Timeout.Infinite, _stopping.Token);
                }

                await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\0"), _stopping.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<string> ReadCommandAsync(NetworkStream stream)
    {
        var command = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, _stopping.Token) == 1 && one[0] != 0)
        {
            command.Append((char)one[0]);
        }

        return command.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _loop;
        _stopping.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
