using System.Collections.Immutable;
using System.CommandLine;
using ChaosPg.Cluster.Providers;
using ChaosPg.Cluster.Target;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Targets;

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
        var target = new Option<string?>("--target") { Description = "Run against a cluster ChaosPg did not start, described by this target file (docs/targets.md)." };
        var ownIt = new Option<bool>("--i-own-this-cluster") { Description = "Confirm that the --target cluster may be killed, paused and partitioned (or say i-own-this-cluster: true in the file)." };
        var managers = new Option<string?>("--manager")
        {
            Description = $"Run each scenario once per HA manager in this comma-separated list ({string.Join(", ", ClusterAxisNames.Known(ClusterAxis.Manager))}), with the same seed and schedule, in place of its own cluster.manager; the suite report compares them.",
        };
        var shared = new RunInvocation();
        var command = new Command("run", "Run scenarios and judge them; exit 0 all expectations met, 1 one unmet, 2 usage or environment error.") { paths, catalog, seed, target, ownIt, managers };
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
            if (managerProblem is null && !managerList.IsEmpty && parseResult.GetValue(target) is not null)
            {
                managerProblem = "chaospg: --manager chooses the manager ChaosPg starts; a --target cluster has its own: leave out one of them";
            }

            if (managerProblem is not null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(managerProblem).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            TargetSpec? targetSpec = null;
            if (parseResult.GetValue(target) is { } targetFile)
            {
                if (TargetConflict(parseResult, shared) is { } targetConflict)
                {
                    await parseResult.InvocationConfiguration.Error.WriteLineAsync(targetConflict).ConfigureAwait(false);
                    return CommandErrors.EnvironmentError;
                }

                var parsed = TargetParser.Parse(await File.ReadAllTextAsync(targetFile, cancellationToken).ConfigureAwait(false), targetFile);
                if (!parsed.IsValid)
                {
                    foreach (var error in parsed.Errors)
                    {
                        await parseResult.InvocationConfiguration.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                    }

                    return CommandErrors.EnvironmentError;
                }

                targetSpec = parsed.Target;
            }
            else if (parseResult.GetValue(ownIt))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("chaospg: --i-own-this-cluster goes with --target <file>").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            return await RunInvocation.RunAsync(
                parseResult,
                files,
                progress => targetSpec is null
                    ? shared.Options(parseResult, parseResult.GetValue(seed), progress) with { Managers = managerList }
                    : shared.Options(parseResult, parseResult.GetValue(seed), progress) with { Backend = ClusterAxisNames.Target, Target = targetSpec, OwnsTarget = parseResult.GetValue(ownIt) },
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

    // A target names its own nodes and Toxiproxy: options that choose a backend's or a proxy contradict it.
    private static string? TargetConflict(ParseResult parseResult, RunInvocation shared) =>
        shared.Backend.Chosen(parseResult, ClusterAxisNames.Target) != ClusterAxisNames.Target ? "chaospg: --target runs against the target file's cluster; leave out --backend (or say --backend target)"
        : parseResult.GetValue(shared.ToxiproxyUrl) is not null ? "chaospg: --target takes its Toxiproxy from the target file (toxiproxy.url); leave out --toxiproxy-url"
        : parseResult.GetValue(shared.PgBin) is not null || parseResult.GetValue(shared.Backend.PgImage) is not null || parseResult.GetValue(shared.Backend.ToxiproxyImage) is not null
            ? "chaospg: --pg-bin, --pg-image and --toxiproxy-image choose what ChaosPg starts; a --target run starts no server"
            : null;

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
