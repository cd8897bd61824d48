using System.CommandLine;
using System.Text.Json;
using ChaosPg.Runner.Exploration;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg bench explore</c>: explores with short schedules and prints cluster runs per minute (goal >= 6) as JSON.</summary>
public static class BenchExploreCommand
{
    private const double Goal = 6;
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static Command Create()
    {
        var invocation = new ExploreInvocation();
        var command = new Command("explore", "Explore (default: durability, sync, 4 runs of 10 s, 2 at a time, no shrinking) and print cluster runs per minute as JSON.");
        invocation.AddTo(command);
        invocation.Runs.DefaultValueFactory = _ => 4;
        invocation.Replication.DefaultValueFactory = _ => "sync";
        invocation.ShrinkRuns.DefaultValueFactory = _ => 0;
        invocation.Parallel.DefaultValueFactory = _ => 2;
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            if (invocation.Options(parseResult) is not { } options)
            {
                return CommandErrors.EnvironmentError;
            }

            // Progress goes to stderr so that stdout is the JSON alone.
            var result = await invocation.RunAsync(parseResult, options, parseResult.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
            var minutes = result.Elapsed.TotalMinutes;
            var meanRun = result.Explored.Select(r => r.Elapsed.TotalSeconds).DefaultIfEmpty(0).Average();
            var figures = new
            {
                clusterRuns = result.ClusterRuns,
                wallSeconds = Math.Round(result.Elapsed.TotalSeconds, 1),
                runsPerMinute = minutes > 0 ? Math.Round(result.ClusterRuns / minutes, 2) : 0,
                goal = Goal,
                parallel = options.Parallel,
                scheduleSeconds = options.Duration.TotalSeconds,
                meanRunSeconds = Math.Round(meanRun, 1),
                meanOverheadSeconds = Math.Round(meanRun - options.Duration.TotalSeconds, 1),
                verdicts = result.Explored.GroupBy(r => ScheduleShrinker.Word(r.Verdict).ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()),
                seed = result.Seed,
                directory = result.Directory,
            };
            parseResult.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(figures, JsonOptions));
            return 0;
        }));
        return command;
    }
}
