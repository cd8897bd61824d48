using System.Diagnostics;
using System.Globalization;
using ChaosPg.Runner.Orchestration;

namespace ChaosPg.Cli.Progress;

/// <summary>Progress as plain lines for redirected output (CI logs): one per phase and event, a summary every few seconds.</summary>
internal sealed class PlainRunProgress(TextWriter output) : IRunProgress
{
    private static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(5);
    private readonly Lock gate = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan lastSummary = TimeSpan.MinValue;

    public void OnPhase(string scenario, string phase) => Line(scenario, phase);

    public void OnEvent(string scenario, string text) => Line(scenario, text);

    public void OnTick(RunTick tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        lock (gate)
        {
            if (clock.Elapsed - lastSummary < SummaryInterval)
            {
                return;
            }

            lastSummary = clock.Elapsed;
        }

        Line(tick.Scenario, RunSummaryText.Tick(tick));
    }

    public void OnRunCompleted(ScenarioRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (gate)
        {
            output.Write(RunSummaryText.Render(result));
            output.Flush();
        }
    }

    private void Line(string scenario, string text)
    {
        lock (gate)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:0.0}s] {scenario}: {text}"));
            output.Flush();
        }
    }
}
