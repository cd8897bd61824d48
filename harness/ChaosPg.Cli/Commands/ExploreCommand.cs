using System.CommandLine;
using ChaosPg.Runner.Exploration;

namespace ChaosPg.Cli.Commands;

/// <summary>
/// <c>chaospg explore</c>: runs generated fault schedules on local clusters until one violates the property, shrinks
/// it to a minimal failing schedule and writes it as a scenario with its replay command. Exit 1 when a counterexample
/// was found, 0 when none was within the budget, 2 on bad input.
/// </summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var invocation = new ExploreInvocation();
        var command = new Command("explore", "Search generated fault schedules for a property violation and shrink it to a minimal reproducer; exit 1 when one is found, 0 when none, 2 on bad input.");
        invocation.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            if (invocation.Options(parseResult) is not { } options)
            {
                return CommandErrors.EnvironmentError;
            }

            output.WriteLine($"explore {options.Property.ToString().ToLowerInvariant()}: primary + {options.Replicas} replica(s), {options.Replication.ToString().ToLowerInvariant()}, "
                + $"seed {options.Seed}, up to {options.Runs} schedules of {options.Duration.TotalSeconds:0.#} s, budget {options.Budget.TotalMinutes:0.#} min");
            var result = await invocation.RunAsync(parseResult, options, output, cancellationToken).ConfigureAwait(false);
            PrintSummary(result, output);
            return result.ExitCode;
        }));
        return command;
    }

    private static void PrintSummary(ExploreResult result, TextWriter output)
    {
        var shrinkRuns = result.Shrink?.Runs ?? 0;
        output.WriteLine();
        output.WriteLine($"runs: {result.ClusterRuns} ({result.Explored.Length} explored, {shrinkRuns} shrinking) in {result.Elapsed.TotalMinutes:0.0} min; "
            + $"failures: {result.Failures}; inconclusive: {result.Explored.Count(r => r.Verdict == TrialVerdict.Inconclusive)}");
        if (result.Shrink is { } shrink)
        {
            var stop = shrink.Stop == ShrinkStop.Minimal ? "no smaller candidate fails" : "budget spent, maybe not minimal";
            output.WriteLine($"shrink steps: {shrink.ShrinkSteps} ({stop})");
            output.WriteLine($"minimal schedule ({ScheduleGenerator.MoveCount(shrink.Scenario.Schedule)} steps + closing heal): {ScheduleSummary.Of(shrink.Scenario.Schedule)}");
            output.WriteLine($"failure: {shrink.Failure.Reason}");
            output.WriteLine($"scenario: {result.MinimalScenarioPath}");
            output.WriteLine($"replay: {result.ReplayCommand}");
        }
        else
        {
            output.WriteLine($"no counterexample within the budget (seed {result.Seed})");
        }

        output.WriteLine($"report: {Path.Combine(result.Directory, "index.html")}");
    }
}
