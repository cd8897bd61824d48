using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>One toxic running on one link: its toxicity roll and its per-link state.</summary>
[SuppressMessage("Design", "CA1001", Justification = "The token sources have no timer and no linked registration, so leaving them to the GC leaks nothing; disposing one could race with a concurrent Cancel.")]
internal sealed class ToxicStage
{
    private readonly ProxyLink _link;
    private ToxicDefinition _definition;
    private CancellationTokenSource _changed;
    private volatile bool _active;

    // limit_data: bytes passed over the life of the link (kept across updates).
    private long _bytesPassed;

    // bandwidth: when the next byte may leave, in Stopwatch ticks.
    private long _nextSendTicks;

    public ToxicStage(ProxyLink link, ToxicDefinition definition)
    {
        _link = link;
        _definition = definition;
        _changed = new CancellationTokenSource();
    }

    public string Name => _definition.Name;

    /// <summary>Whether the toxicity roll made this toxic apply to this link.</summary>
    public bool Active => _active;

    /// <summary>Rolls the toxicity and starts the timeout toxic's timer.</summary>
    public void Start()
    {
        var definition = _definition;
        _active = Random.Shared.NextSingle() < definition.Toxicity;
        if (_active && definition.Kind == ToxicKind.Timeout && definition.Get("timeout") > 0)
        {
            _ = CloseAfterAsync(definition.Get("timeout"), _changed.Token);
        }
    }

    /// <summary>New attributes or toxicity: interrupts any wait and restarts the stage, keeping its byte counts.</summary>
    public void Update(ToxicDefinition definition)
    {
        var previous = _changed;
        _definition = definition;
        _changed = new CancellationTokenSource();
        // Callbacks run on the thread pool: the caller holds the proxy's lock and must not run a waking pump.
        _ = previous.CancelAsync();
        Start();
    }

    /// <summary>The connection closed: wakes any wait so nothing outlives it.</summary>
    public void Stop() => _ = _changed.CancelAsync();

    /// <summary>The toxic was removed; a timeout toxic closes the connection it was holding.</summary>
    public void Remove()
    {
        _ = _changed.CancelAsync();
        if (_active && _definition.Kind == ToxicKind.Timeout)
        {
            _link.Connection.Close();
        }
    }

    /// <summary>Applies the toxic to one chunk and passes what comes out to the stages after it.</summary>
    public async ValueTask ProcessAsync(ToxicStage[] stages, int index, ReadOnlyMemory<byte> data, long readTimestamp)
    {
        var definition = _definition;
        var token = _changed.Token;
        var kind = definition.Kind;
        if (kind == ToxicKind.Latency)
        {
            var jitter = definition.Get("jitter");
            var latency = definition.Get("latency");
            var offset = jitter > 0 ? Random.Shared.NextInt64(-jitter, jitter) : 0;
            // Saturating: Toxiproxy's int64 sum wraps, so a huge latency would come out negative and pass at once.
            var delay = offset > 0 && latency > long.MaxValue - offset ? long.MaxValue : latency + offset;
            await SleepUntilAsync(DueAfter(readTimestamp, delay, 1000), token).ConfigureAwait(false);
            await _link.ForwardAsync(stages, index + 1, data, readTimestamp).ConfigureAwait(false);
        }
        else if (kind == ToxicKind.Bandwidth)
        {
            await ThrottleAsync(stages, index, data, readTimestamp, definition.Get("rate"), token).ConfigureAwait(false);
        }
        else if (kind == ToxicKind.Slicer)
        {
            await SliceAsync(stages, index, data, readTimestamp, definition, token).ConfigureAwait(false);
        }
        else if (kind == ToxicKind.LimitData)
        {
            await LimitAsync(stages, index, data, readTimestamp, definition.Get("bytes")).ConfigureAwait(false);
        }
        else if (kind == ToxicKind.ResetPeer)
        {
            // The data is not passed on: the peer is reset once the timeout has passed.
            await SleepUntilAsync(DueAfter(Stopwatch.GetTimestamp(), definition.Get("timeout"), 1000), token).ConfigureAwait(false);
            if (!token.IsCancellationRequested)
            {
                _link.Connection.Close(reset: true);
            }
        }
        else if (kind != ToxicKind.Timeout)
        {
            // noop and slow_close pass data through unchanged; timeout drops it.
            await _link.ForwardAsync(stages, index + 1, data, readTimestamp).ConfigureAwait(false);
        }
    }

    /// <summary>The source closed: slow_close waits before the close is passed on.</summary>
    public async ValueTask CloseAsync()
    {
        var definition = _definition;
        if (definition.Kind == ToxicKind.SlowClose)
        {
            await SleepUntilAsync(DueAfter(Stopwatch.GetTimestamp(), definition.Get("delay"), 1000), _changed.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sleeps until <paramref name="dueTimestamp"/> (Stopwatch ticks), never less: .NET's timers run on a coarse clock
    /// (a kernel tick, up to 4 ms on Linux), so one Task.Delay may end before the due time; a 20 ms latency toxic once
    /// let a round trip through in 18.6 ms. It sleeps again for what is left, in whole milliseconds.
    /// </summary>
    private static async ValueTask SleepUntilAsync(long dueTimestamp, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), dueTimestamp);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            // Task.Delay takes at most about 49 days; a longer wait is slept a day at a time.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(Math.Ceiling(remaining.TotalMilliseconds), TimeSpan.FromDays(1).TotalMilliseconds)), token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// The Stopwatch timestamp <paramref name="amount"/> units after <paramref name="start"/>, saturating: attributes are
    /// any int64 the API accepts, and a huge one must mean "never" rather than overflow into the past. Zero or less is
    /// <paramref name="start"/> (Toxiproxy's time.After of a negative duration fires at once).
    /// </summary>
    internal static long DueAfter(long start, long amount, long unitsPerSecond)
    {
        if (amount <= 0)
        {
            return start;
        }

        var ticks = amount > long.MaxValue / Stopwatch.Frequency ? long.MaxValue : amount * Stopwatch.Frequency / unitsPerSecond;
        return start > long.MaxValue - ticks ? long.MaxValue : start + ticks;
    }

    private async Task CloseAfterAsync(long milliseconds, CancellationToken token)
    {
        await SleepUntilAsync(DueAfter(Stopwatch.GetTimestamp(), milliseconds, 1000), token).ConfigureAwait(false);
        if (!token.IsCancellationRequested)
        {
            _link.Connection.Close();
        }
    }

    private async ValueTask ThrottleAsync(ToxicStage[] stages, int index, ReadOnlyMemory<byte> data, long readTimestamp, long rate, CancellationToken token)
    {
        if (rate <= 0)
        {
            // Toxiproxy lets nothing through at rate 0.
            return;
        }

        // Pieces of 100 ms worth of data keep large chunks smooth; the schedule carries over between chunks.
        var pieceSize = (int)Math.Clamp(rate * 100, 1, int.MaxValue);
        while (!data.IsEmpty)
        {
            var piece = data[..Math.Min(pieceSize, data.Length)];
            data = data[piece.Length..];
            var start = Math.Max(_nextSendTicks, Stopwatch.GetTimestamp());
            _nextSendTicks = start + (piece.Length * Stopwatch.Frequency / (rate * 1000));
            await SleepUntilAsync(_nextSendTicks, token).ConfigureAwait(false);
            await _link.ForwardAsync(stages, index + 1, piece, readTimestamp).ConfigureAwait(false);
        }
    }

    private async ValueTask SliceAsync(ToxicStage[] stages, int index, ReadOnlyMemory<byte> data, long readTimestamp, ToxicDefinition definition, CancellationToken token)
    {
        var pieces = SlicerCuts.Pieces(data.Length, definition.Get("average_size"), definition.Get("size_variation"), Random.Shared);
        var delay = definition.Get("delay");
        foreach (var length in pieces)
        {
            var piece = data[..length];
            data = data[length..];
            await _link.ForwardAsync(stages, index + 1, piece, readTimestamp).ConfigureAwait(false);
            if (!data.IsEmpty && delay > 0)
            {
                // Delay is in microseconds, as in Toxiproxy.
                await SleepUntilAsync(DueAfter(Stopwatch.GetTimestamp(), delay, 1_000_000), token).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask LimitAsync(ToxicStage[] stages, int index, ReadOnlyMemory<byte> data, long readTimestamp, long limit)
    {
        var remaining = Math.Max(0, limit - _bytesPassed);
        if (data.Length > remaining)
        {
            data = data[..(int)remaining];
        }

        if (!data.IsEmpty)
        {
            await _link.ForwardAsync(stages, index + 1, data, readTimestamp).ConfigureAwait(false);
            _bytesPassed += data.Length;
        }

        if (limit - _bytesPassed <= 0)
        {
            _link.Connection.Close();
        }
    }
}
