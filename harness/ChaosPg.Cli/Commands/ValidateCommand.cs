using System.CommandLine;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg validate PATH...</c>: checks scenario files strictly without starting anything.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Scenario files, or directories whose *.yaml files to check.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("validate", "Check scenario files, reporting every error with file, line and column.");
        command.Arguments.Add(paths);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            TextWriter error = parseResult.InvocationConfiguration.Error;
            var files = new List<string>();
            foreach (string path in parseResult.GetRequiredValue(paths))
            {
                if (Directory.Exists(path))
                {
                    files.AddRange(Directory.EnumerateFiles(path, "*.yaml").Order(StringComparer.Ordinal));
                }
                else if (File.Exists(path))
                {
                    files.Add(path);
                }
                else
                {
                    await error.WriteLineAsync($"no such file or directory: {path}; pass scenario files or a directory of them (e.g. scenarios/)").ConfigureAwait(false);
                    return 2;
                }
            }

            int invalid = 0;
            foreach (string file in files)
            {
                string text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                ScenarioParseResult result = ScenarioParser.Parse(text, file);
                if (result.IsValid)
                {
                    await output.WriteLineAsync($"ok {file}: {result.Scenario!.Name}, {result.Scenario.Schedule.Length} steps").ConfigureAwait(false);
                    continue;
                }

                invalid++;
                foreach (ScenarioError scenarioError in result.Errors)
                {
                    await error.WriteLineAsync(scenarioError.ToString()).ConfigureAwait(false);
                }
            }

            return invalid == 0 ? 0 : 2;
        });
        return command;
    }
}
