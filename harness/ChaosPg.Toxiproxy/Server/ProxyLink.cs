using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Threading.Channels;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>One direction of a proxied connection: reads from one socket, runs the toxics, writes to the other.</summary>
[SuppressMessage("Design", "CA1001", Justification = "The semaphore's wait handle is never created, so leaving it to the GC leaks nothing; disposing it could race with the pump's Release.")]
internal sealed class ProxyLink
{
    // Large reads keep the no-toxic path cheap for bulk transfers (WAL streaming, COPY).
    private const int BufferSize = 64 * 1024;

    private readonly Socket _source;
    private readonly Socket _destination;
    private ToxicStage[] _stages;

    // Toxics may hold data for a while (latency, bandwidth); reading stops once this much waits for them.
    private const int MaxQueuedBytes = 4 * 1024 * 1024;

    // Chunks read but not yet through the toxics; while any is queued the fast path must wait its turn to keep order.
    private int _queued;
    private long _queuedBytes;
    private Channel<ProxyChunk>? _chunks;
    private SemaphoreSlim? _drained;

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

    /// <summary>Wakes every stage's waits and ends the toxic pump once the connection has closed.</summary>
    public void StopStages()
    {
        _chunks?.Writer.TryComplete();
        _drained?.Release();
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
        Connection.RequestHandOver();
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

    /// <summary>
    /// Pumps data until either side closes, then closes the whole connection. A <paramref name="carried"/> chunk (from
    /// the relay, its buffer pooled; a null buffer for a close) is passed on first, as if just read.
    /// </summary>
    public async Task RunAsync(ProxyChunk? carried = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var closeOnExit = true;
        try
        {
            while (true)
            {
                int read;
                if (carried is { } chunk)
                {
                    carried = null;
                    read = chunk.Length;
                    if (chunk.Buffer is not null)
                    {
                        chunk.Buffer.AsSpan(0, read).CopyTo(buffer);
                        ArrayPool<byte>.Shared.Return(chunk.Buffer);
                    }
                }
                else
                {
                    read = await _source.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                }

                if (Volatile.Read(ref _stages).Length == 0 && Volatile.Read(ref _queued) == 0)
                {
                    if (read == 0)
                    {
                        break;
                    }

                    // Fast path: no toxic and nothing queued behind one, so no copy, no hand-off, no allocation.
                    var sent = 0;
                    while (sent < read)
                    {
                        sent += await _destination.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
                    }

                    continue;
                }

                // Toxic path: like Toxiproxy, reading goes on while toxics hold earlier chunks, so latency delays
                // each chunk from when it was read instead of throttling the link to one chunk per delay.
                var copy = read == 0 ? null : ArrayPool<byte>.Shared.Rent(read);
                buffer.AsSpan(0, read).CopyTo(copy);
                Interlocked.Increment(ref _queued);
                Interlocked.Add(ref _queuedBytes, read);
                await EnsureToxicPump().WriteAsync(new ProxyChunk(copy, read, Stopwatch.GetTimestamp())).ConfigureAwait(false);
                if (read == 0)
                {
                    // The toxic pump passes the close on once the toxics have seen it (slow_close).
                    closeOnExit = false;
                    break;
                }

                while (Volatile.Read(ref _queuedBytes) > MaxQueuedBytes && !Connection.IsClosed)
                {
                    await _drained!.WaitAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException or ChannelClosedException)
        {
            // The connection is closing; nothing more to pass on.
            closeOnExit = true;
        }
        finally
        {
            if (closeOnExit)
            {
                Connection.Close();
            }

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

    private ChannelWriter<ProxyChunk> EnsureToxicPump()
    {
        if (_chunks is null)
        {
            _drained = new SemaphoreSlim(0);
            _chunks = Channel.CreateUnbounded<ProxyChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            _ = PumpToxicsAsync(_chunks.Reader);
            if (Connection.IsClosed)
            {
                _chunks.Writer.TryComplete();
            }
        }

        return _chunks.Writer;
    }

    private async Task PumpToxicsAsync(ChannelReader<ProxyChunk> chunks)
    {
        try
        {
            await foreach (var chunk in chunks.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    var stages = Volatile.Read(ref _stages);
                    if (chunk.Buffer is null)
                    {
                        foreach (var stage in stages)
                        {
                            if (stage.Active)
                            {
                                await stage.CloseAsync().ConfigureAwait(false);
                            }
                        }

                        Connection.Close();
                        return;
                    }

                    await ForwardAsync(stages, 0, chunk.Buffer.AsMemory(0, chunk.Length), chunk.Timestamp).ConfigureAwait(false);
                }
                finally
                {
                    if (chunk.Buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(chunk.Buffer);
                    }

                    Interlocked.Decrement(ref _queued);
                    if (Interlocked.Add(ref _queuedBytes, -chunk.Length) <= MaxQueuedBytes && _drained!.CurrentCount == 0)
                    {
                        _drained.Release();
                    }
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Connection.Close();
        }
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
