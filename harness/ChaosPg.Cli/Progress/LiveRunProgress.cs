using System.Globalization;
using ChaosPg.Runner.Orchestration;
using Spectre.Console;

namespace ChaosPg.Cli.Progress;

/// <summary>
/// Progress on a terminal with Spectre.Console: a live panel with the current step, elapsed/duration, operations,
/// active faults, replication lag and the latest events; finished runs are printed above it as they complete.
/// </summary>
internal sealed class LiveRunProgress : IRunProgress
{
    private const int EventLines = 8;
    private readonly Lock gate = new();
    private readonly Queue<string> events = new();
    private readonly List<ScenarioRunResult> finished = [];
    private string scenario = string.Empty;
    private string phase = "starting";
    private RunTick? tick;

    public void OnPhase(string scenario, string phase)
    {
        lock (gate)
        {
            this.scenario = scenario;
            this.phase = phase;
            if (phase.StartsWith("sweeping", StringComparison.Ordinal))
            {
                events.Clear();
                tick = null;
            }
        }
    }

    public void OnEvent(string scenario, string text)
    {
        lock (gate)
        {
            events.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:HH:mm:ss} {text}"));
            while (events.Count > EventLines)
            {
                events.Dequeue();
            }
        }
    }

    public void OnTick(RunTick tick)
    {
        lock (gate)
        {
            this.tick = tick;
        }
    }

    public void OnRunCompleted(ScenarioRunResult result)
    {
        lock (gate)
        {
            finished.Add(result);
        }
    }

    /// <summary>Runs <paramref name="work"/> under a live display refreshed four times a second, then prints each run's verdict.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var result = await AnsiConsole.Live(Render())
            .AutoClear(true)
            .StartAsync(async context =>
            {
                var task = work();
                while (await Task.WhenAny(task, Task.Delay(250)).ConfigureAwait(false) != task)
                {
                    context.UpdateTarget(Render());
                }

                return await task.ConfigureAwait(false);
            }).ConfigureAwait(false);
        lock (gate)
        {
            foreach (var run in finished)
            {
                AnsiConsole.Write(new Text(RunSummaryText.Render(run)));
            }
        }

        return result;
    }

    private Panel Render()
    {
        lock (gate)
        {
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow(new Markup("[bold]scenario[/]"), new Text(scenario));
            grid.AddRow(new Markup("[bold]step[/]"), new Text(phase));
            if (tick is { } t)
            {
                grid.AddRow(new Markup("[bold]workload[/]"), new Text(RunSummaryText.Tick(t)));
            }

            grid.AddRow(new Markup("[bold]events[/]"), new Text(events.Count == 0 ? "-" : string.Join('\n', events)));
            var done = finished.Count == 0
                ? "-"
                : string.Join("  ", finished.Select(r => $"{r.Scenario.Name} {RunSummaryText.Word(r.Results.Outcome)}"));
            grid.AddRow(new Markup("[bold]finished[/]"), new Text(done));
            return new Panel(grid).Header("chaospg run").Expand();
        }
    }
}
