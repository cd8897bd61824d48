using System.Net;
using System.Net.Sockets;

namespace ChaosPg.Toxiproxy.Tests;

/// <summary>A real TCP server on 127.0.0.1 that runs a handler per connection: the upstream behind a proxy.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private LoopbackServer(Func<Socket, CancellationToken, Task> handler)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptAsync(handler);
    }

    /// <summary><c>127.0.0.1:port</c>, as a Toxiproxy upstream.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Echoes every byte back.</summary>
    public static LoopbackServer Echo() => new(async (socket, ct) =>
    {
        var buffer = new byte[16384];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (read == 0)
            {
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
        }
    });

    /// <summary>Sends <paramref name="count"/> bytes as soon as a client connects, then closes.</summary>
    public static LoopbackServer Source(int count) => new(async (socket, ct) =>
    {
        await socket.SendAsync(new byte[count], SocketFlags.None, ct);
        socket.Shutdown(SocketShutdown.Send);
    });

    /// <summary>Reads and discards everything.</summary>
    public static LoopbackServer Sink() => new(async (socket, ct) =>
    {
        var buffer = new byte[65536];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) > 0)
        {
        }
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<Socket, CancellationToken, Task> handler)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                connections.Add(ServeAsync(socket, handler));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped (InvalidOperationException when the listener stopped between two accepts).
            await Task.WhenAll(connections);
        }
    }

    private async Task ServeAsync(Socket socket, Func<Socket, CancellationToken, Task> handler)
    {
        using (socket)
        {
            try
            {
                await handler(socket, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The proxy or the test closed the connection.
            }
        }
    }
}
