using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bastion.Redis.Tests.Infrastructure;

/// <summary>
/// A loopback TCP server that answers each read from a client with the next canned response of a script,
/// for replies a real Redis never sends (corrupt RESP). Connection N uses script N; the last script repeats.
/// </summary>
internal sealed class ScriptedRedisServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string[][] _scripts;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    public ScriptedRedisServer(params string[][] scripts)
    {
        _scripts = scripts;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (true)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
                int index = Interlocked.Increment(ref _connections) - 1;
                sessions.Add(ServeAsync(socket, _scripts[Math.Min(index, _scripts.Length - 1)]));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(sessions);
    }

    private async Task ServeAsync(Socket socket, string[] responses)
    {
        using (socket)
        {
            byte[] buffer = new byte[4096];
            try
            {
                foreach (string response in responses)
                {
                    if (await socket.ReceiveAsync(buffer, _stop.Token) == 0)
                    {
                        return;
                    }

                    await socket.SendAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                }

                // Script exhausted: keep the connection open and silent until the test ends.
                while (await socket.ReceiveAsync(buffer, _stop.Token) > 0)
                {
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException)
            {
                // Client went away or the server is stopping.
            }
        }
    }
}
