using System.Diagnostics;
using System.Net.Sockets;

namespace ChaosPg.Toxiproxy.Tests;

/// <summary>A test client socket with timed reads that tell a clean close (FIN) from a reset (RST).</summary>
public sealed class SocketProbe : IDisposable
{
    private readonly Socket _socket;

    private SocketProbe(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<SocketProbe> ConnectAsync(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(hostPort[..colon], int.Parse(hostPort[(colon + 1)..]));
        return new SocketProbe(socket);
    }

    public Task SendAsync(byte[] data) => _socket.SendAsync(data, SocketFlags.None);

    /// <summary>Reads exactly <paramref name="count"/> bytes within <paramref name="timeout"/>.</summary>
    public async Task<byte[]> ReceiveExactlyAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
            if (n == 0)
            {
                throw new EndOfStreamException($"closed after {read} of {count} bytes");
            }

            read += n;
        }

        return buffer;
    }

    /// <summary>Sends a payload and times how long its echo takes to come back.</summary>
    public async Task<TimeSpan> RoundTripAsync(int size = 16)
    {
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);
        var watch = Stopwatch.StartNew();
        await SendAsync(payload);
        var echo = await ReceiveExactlyAsync(size, TimeSpan.FromSeconds(10));
        watch.Stop();
        Assert.That(echo, Is.EqualTo(payload));
        return watch.Elapsed;
    }

    /// <summary>Reads until the peer closes; returns what arrived, the sizes of each read, and how the stream ended.</summary>
    public async Task<ReadResult> ReadUntilClosedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new List<byte>();
        var reads = new List<int>();
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    return new ReadResult([.. received], [.. reads], Reset: false);
                }

                received.AddRange(buffer.AsSpan(0, n));
                reads.Add(n);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return new ReadResult([.. received], [.. reads], Reset: true);
        }
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>What a read-until-close saw.</summary>
    public sealed record ReadResult(byte[] Data, int[] ReadSizes, bool Reset);
}
