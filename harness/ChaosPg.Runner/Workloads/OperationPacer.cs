using System.Diagnostics;

namespace ChaosPg.Runner.Workloads;

/// <summary>Spreads operations of all clients evenly over time at a total rate; unthrottled when the rate is null.</summary>
internal sealed class OperationPacer(int? rate)
{
    private readonly long intervalTicks = rate is > 0 ? Stopwatch.Frequency / rate.Value : 0;
    private long nextTimestamp = Stopwatch.GetTimestamp();

    /// <summary>Waits for this client's next slot.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (intervalTicks == 0)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();

        // A client that was stuck (e.g. in a timeout) does not earn a burst of catch-up slots.
        var slot = Interlocked.Add(ref nextTimestamp, intervalTicks) - intervalTicks;
        if (slot < now - intervalTicks)
        {
            Interlocked.CompareExchange(ref nextTimestamp, now + intervalTicks, slot + intervalTicks);
            slot = now;
        }

        var wait = Stopwatch.GetElapsedTime(now, slot);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }
}
