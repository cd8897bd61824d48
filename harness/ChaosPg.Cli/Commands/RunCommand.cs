using System.Collections.Immutable;
using System.CommandLine;
using ChaosPg.Cluster.Providers;
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
        var managers = new Option<string?>("--manager")
        {
            Description = $"Run each scenario once per HA manager in this comma-separated list ({string.Join(", ", ClusterAxisNames.Known(ClusterAxis.Manager))}), with the same seed and schedule, in place of its own cluster.manager; the suite report compares them.",
        };
        var shared = new RunInvocation();
        var command = new Command("run", "Run scenarios and judge them; exit 0 all expectations met, 1 one unmet, 2 usage or environment error.") { paths, catalog, seed, managers };
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

            var (managerList, managerProblem) = ManagerList(parseResult.GetValue(managers));
            if (managerProblem is null && !managerList.IsEmpty && parseResult.GetValue(target.File) is not null)
            {
                managerProblem = "chaospg: --manager chooses the manager ChaosPg starts; a --target cluster has its own: leave out one of them";
            }

            if (managerProblem is not null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(managerProblem).ConfigureAwait(false);
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
                    ? shared.Options(parseResult, parseResult.GetValue(seed), progress) with { Managers = managerList }
                    : target.Apply(parseResult, shared.Options(parseResult, parseResult.GetValue(seed), progress), targetSpec),
                cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>The managers of <c>--manager a,b</c>, in order, once each; or the one-line error for a name no axis knows.</summary>
    internal static (ImmutableArray<string> Managers, string? Problem) ManagerList(string? value)
    {
        if (value is null)
        {
            return ([], null);
        }

        ImmutableArray<string> names = [.. value.Split(',', StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
        var known = ClusterAxisNames.Known(ClusterAxis.Manager);
        return names.Any(string.IsNullOrEmpty) ? ([], $"chaospg: --manager takes a comma-separated list of managers, e.g. --manager {string.Join(',', known.Skip(1))}")
            : names.FirstOrDefault(n => !known.Contains(n)) is { } unknown ? ([], $"chaospg: --manager: unknown manager {unknown}; known: {string.Join(", ", known)}")
            : (names, null);
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
