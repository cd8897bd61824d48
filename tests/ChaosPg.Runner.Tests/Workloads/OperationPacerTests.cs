using System.Diagnostics;
using ChaosPg.Runner.Workloads;

namespace ChaosPg.Runner.Tests.Workloads;

public class OperationPacerTests
{
    [Test]
    public async Task Clients_sharing_a_rate_never_run_faster_than_it()
    {
        var pacer = new OperationPacer(200);
        var started = Stopwatch.GetTimestamp();

        // 4 clients x 25 operations at 200/s: the 100th slot starts no earlier than 99 intervals after the first.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 25; i++)
            {
                await pacer.WaitAsync(CancellationToken.None);
            }
        }));

        Assert.That(Stopwatch.GetElapsedTime(started), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(99 * 5 - 20)));
    }

    [Test]
    public async Task Without_a_rate_the_pacer_never_waits()
    {
        var pacer = new OperationPacer(null);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // A wait would observe the cancelled token and throw.
        Assert.That(async () => await pacer.WaitAsync(cancelled.Token), Throws.Nothing);
    }
}
