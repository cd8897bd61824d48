using System.CommandLine;
using System.Text.Json;
using ChaosPg.Cli.Progress;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg bench suite</c>: runs the catalog and prints total wall time against the sum of scenario durations.</summary>
public static class BenchSuiteCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Scenario files or folders (default: the catalog).", Arity = ArgumentArity.ZeroOrMore };
        var shared = new RunInvocation();
        var command = new Command("suite", "Run the catalog; print wall time, the sum of scenario durations and their ratio (goal <= 1.3) as JSON.") { paths };
        shared.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var given = parseResult.GetValue(paths) ?? [];
            var catalog = ScenarioCatalog.FindDefaultDirectory(Environment.CurrentDirectory);
            if (given.Length == 0 && catalog is null)
            {
                await Console.Error.WriteLineAsync("chaospg: no scenarios/ folder found; pass scenario files or folders").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var files = ScenarioCatalog.Expand(given.Length == 0 ? [catalog!] : given);
            SuiteRunResult result;
            try
            {
                // Progress goes to stderr so that stdout is the JSON alone.
                result = await SuiteRunner.RunAsync(files, shared.Options(parseResult, null, new PlainRunProgress(Console.Error)), cancellationToken).ConfigureAwait(false);
            }
            catch (ScenarioValidationException e)
            {
                foreach (var error in e.Errors)
                {
                    await Console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                }

                return CommandErrors.EnvironmentError;
            }

            var durations = result.Runs.Sum(r => r.Scenario.Duration.TotalSeconds);
            var figures = new
            {
                scenarios = result.Runs.Length,
                totalWallSeconds = Math.Round(result.Elapsed.TotalSeconds, 1),
                scenarioDurationSeconds = Math.Round(durations, 1),
                ratio = durations > 0 ? Math.Round(result.Elapsed.TotalSeconds / durations, 3) : 0,
                goal = 1.3,
                passed = result.Runs.Count(r => r.Results.Outcome == RunOutcome.Passed),
                failed = result.Runs.Count(r => r.Results.Outcome == RunOutcome.Failed),
                errors = result.Runs.Count(r => r.Results.Outcome == RunOutcome.Error),
                runs = result.Runs.Select(r => new
                {
                    scenario = r.Scenario.Name,
                    outcome = RunSummaryText.Word(r.Results.Outcome).ToLowerInvariant(),
                    wallSeconds = Math.Round(r.Elapsed.TotalSeconds, 1),
                    durationSeconds = r.Scenario.Duration.TotalSeconds,
                }),
                suite = result.SuiteDirectory,
            };
            Console.Out.WriteLine(JsonSerializer.Serialize(figures, JsonOptions));
            return 0;
        }));
        return command;
    }
}
