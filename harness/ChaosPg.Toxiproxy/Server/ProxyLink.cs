using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>One direction of a proxied connection: reads from one socket, runs the toxics, writes to the other.</summary>
internal sealed class ProxyLink
{
    // Large reads keep the no-toxic path cheap for bulk transfers (WAL streaming, COPY).
    private const int BufferSize = 64 * 1024;

    private readonly Socket _source;
    private readonly Socket _destination;
    private ToxicStage[] _stages;

    public ProxyLink(ProxyConnection connection, Socket source, Socket destination, IEnumerable<ToxicDefinition> toxics)
    {
        Connection = connection;
        _source = source;
        _destination = destination;
        _stages = [.. toxics.Select(toxic => new ToxicStage(this, toxic))];
    }

    public ProxyConnection Connection { get; }

    /// <summary>Rolls every stage's toxicity; called once the connection is registered.</summary>
    public void StartStages()
    {
        foreach (var stage in _stages)
        {
            stage.Start();
        }
    }

    /// <summary>Wakes every stage's waits once the connection has closed.</summary>
    public void StopStages()
    {
        foreach (var stage in Volatile.Read(ref _stages))
        {
            stage.Stop();
        }
    }

    /// <summary>Splices a new toxic into this live link.</summary>
    public void AddStage(ToxicDefinition toxic)
    {
        var stage = new ToxicStage(this, toxic);
        stage.Start();
        Volatile.Write(ref _stages, [.. _stages, stage]);
    }

    public void UpdateStage(ToxicDefinition toxic) =>
        Array.Find(_stages, stage => stage.Name == toxic.Name)?.Update(toxic);

    public void RemoveStage(string name)
    {
        var stage = Array.Find(_stages, s => s.Name == name);
        if (stage is null)
        {
            return;
        }

        Volatile.Write(ref _stages, [.. _stages.Where(s => s != stage)]);
        stage.Remove();
    }

    /// <summary>Pumps data until either side closes, then closes the whole connection.</summary>
    public async Task RunAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await _source.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                var stages = Volatile.Read(ref _stages);
                if (read == 0)
                {
                    foreach (var stage in stages)
                    {
                        if (stage.Active)
                        {
                            await stage.CloseAsync().ConfigureAwait(false);
                        }
                    }

                    break;
                }

                if (stages.Length == 0)
                {
                    // Fast path: no toxic, no extra await layer, no allocation.
                    var sent = 0;
                    while (sent < read)
                    {
                        sent += await _destination.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
                    }
                }
                else
                {
                    await ForwardAsync(stages, 0, buffer.AsMemory(0, read), Stopwatch.GetTimestamp()).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is closing; nothing more to pass on.
        }
        finally
        {
            Connection.Close();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Passes data to the next active stage after <paramref name="index"/>, or to the destination socket.</summary>
    public ValueTask ForwardAsync(ToxicStage[] stages, int index, ReadOnlyMemory<byte> data, long readTimestamp)
    {
        for (var i = index; i < stages.Length; i++)
        {
            if (stages[i].Active)
            {
                return stages[i].ProcessAsync(stages, i, data, readTimestamp);
            }
        }

        return SendAsync(data);
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        if (Connection.IsClosed)
        {
            return;
        }

        while (!data.IsEmpty)
        {
            var sent = await _destination.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[sent..];
        }
    }
}
