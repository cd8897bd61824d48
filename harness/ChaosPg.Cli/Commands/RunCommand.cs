using System.CommandLine;
using ChaosPg.Runner.Orchestration;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg run &lt;file|dir&gt;...</c>: runs scenarios against a cluster (local processes or containers) and writes run folders (several make a suite).</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Scenario files, or folders whose *.yaml files to run.", Arity = ArgumentArity.ZeroOrMore };
        var catalog = new Option<string[]>("--catalog")
        {
            Description = "Run scenarios of the catalog (scenarios/ of the checkout, or the one installed with the tool) by name; with no name, all of them.",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var seed = new Option<long?>("--seed") { Description = "Seed of the workload (default: random; recorded in run.json)." };
        var target = new TargetOptions();
        var shared = new RunInvocation();
        var command = new Command("run", "Run scenarios and judge them; exit 0 all expectations met, 1 one unmet, 2 usage or environment error.") { paths, catalog, seed };
        target.AddTo(command);
        shared.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            if (shared.Conflict(parseResult) is { } conflict)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(conflict).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var given = parseResult.GetValue(paths) ?? [];
            var (files, problem) = parseResult.GetResult(catalog) is null
                ? (ScenarioCatalog.Expand(given), given.Length == 0 ? "chaospg: name scenario files or folders, or use --catalog [name...]" : null)
                : FromCatalog(parseResult.GetValue(catalog) ?? [], given);
            problem ??= files.Count == 0 ? "chaospg: no *.yaml scenario files in the given folders" : null;
            if (problem is not null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var (targetSpec, failed) = await target.ReadAsync(parseResult, shared, cancellationToken).ConfigureAwait(false);
            if (failed)
            {
                return CommandErrors.EnvironmentError;
            }

            return await RunInvocation.RunAsync(
                parseResult,
                files,
                progress => targetSpec is null
                    ? shared.Options(parseResult, parseResult.GetValue(seed), progress)
                    : target.Apply(parseResult, shared.Options(parseResult, parseResult.GetValue(seed), progress), targetSpec),
                cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    // The named scenarios of the default catalog (all of them when none is named), or why they cannot be had.
    private static (IReadOnlyList<string> Files, string? Problem) FromCatalog(string[] names, string[] paths)
    {
        if (paths.Length > 0)
        {
            return ([], "chaospg: give scenario paths or --catalog, not both");
        }

        if (ScenarioCatalog.FindDefaultDirectory(Environment.CurrentDirectory) is not { } directory)
        {
            return ([], "chaospg: no scenarios/ folder found (looked beside ChaosPg.sln above the current directory and beside the executable)");
        }

        var all = ScenarioCatalog.FilesIn(directory);
        if (names.Length == 0)
        {
            return (all, null);
        }

        var byName = all.ToDictionary(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        var unknown = names.Where(n => !byName.ContainsKey(n)).ToList();
        return unknown.Count > 0
            ? ([], $"chaospg: no scenario named {string.Join(", ", unknown)} in {directory}; `chaospg list` shows the catalog")
            : ([.. names.Select(n => byName[n])], null);
    }
}
