using System.CommandLine;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg list [dir]</c>: the scenario catalog with descriptions and tags.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var directory = new Argument<string?>("dir") { Description = "A folder of scenarios (default: scenarios/ beside ChaosPg.sln, else beside the executable).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", "List the scenario catalog: name, tags, duration and what each scenario proves.") { directory };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var folder = parseResult.GetValue(directory) ?? ScenarioCatalog.FindDefaultDirectory(Environment.CurrentDirectory);
            if (folder is null || !Directory.Exists(folder))
            {
                await error.WriteLineAsync(folder is null
                    ? "chaospg: no scenarios/ folder found (looked beside ChaosPg.sln above the current directory and beside the executable); pass one: chaospg list DIR"
                    : $"chaospg: no such folder: {folder}").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var invalid = 0;
            foreach (var file in ScenarioCatalog.FilesIn(folder))
            {
                var parsed = ScenarioParser.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file);
                if (parsed.Scenario is not { } scenario)
                {
                    invalid++;
                    await output.WriteLineAsync($"{Path.GetFileName(file)}: invalid ({parsed.Errors[0]}); see chaospg validate").ConfigureAwait(false);
                    continue;
                }

                var tags = scenario.Tags.IsEmpty ? string.Empty : $" [{string.Join(", ", scenario.Tags)}]";
                await output.WriteLineAsync($"{scenario.Name}{tags} ({DurationText(scenario.Duration)})").ConfigureAwait(false);
                await output.WriteLineAsync($"    {scenario.Description}").ConfigureAwait(false);
            }

            return invalid == 0 ? 0 : CommandErrors.EnvironmentError;
        });
        return command;
    }

    private static string DurationText(TimeSpan duration) => Core.Schedule.DurationText.Format(duration);
}
