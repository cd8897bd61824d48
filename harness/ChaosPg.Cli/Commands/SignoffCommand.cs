using System.CommandLine;
using System.Globalization;
using ChaosPg.Cli.Progress;
using ChaosPg.Cluster.Providers;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Scenarios;
using ChaosPg.Runner.Signoff;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg signoff</c>: runs the catalog's release scenarios with N seeds each and writes one suite report to sign.</summary>
public static class SignoffCommand
{
    public static Command Create()
    {
        var backend = new BackendOptions();
        var seeds = new Option<int>("--seeds") { Description = "Seeds per scenario.", DefaultValueFactory = _ => 1 };
        var seed = new Option<long?>("--seed") { Description = "First seed; run i of a scenario uses seed + i (default: random; recorded in each run.json)." };
        var output = new Option<string?>("--out") { Description = "The suite report folder (default: reports/signoff/<utc>/); runs go to <out>/runs/." };
        var pgBin = new Option<string?>("--pg-bin") { Description = "PostgreSQL bin directory (default: CHAOSPG_PG_BIN, pg_config, newest /usr/lib/postgresql/*/bin)." };
        var catalog = new Option<string?>("--catalog") { Description = "A scenario folder instead of the catalog (for tests of the sign-off itself).", Hidden = true };
        var managers = new Option<string?>("--manager") { Description = "Run each release scenario once per HA manager in this comma-separated list, with the same seeds; the report compares them." };
        var command = new Command("signoff", "Run the release scenarios of the catalog and write one report to sign; exit 0 every expectation met, 1 one unmet, 2 usage or environment error.")
        {
            seeds, seed, output, pgBin, catalog, managers,
        };
        backend.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var conflict = backend.Conflict(parseResult)
                ?? (backend.Chosen(parseResult) == ClusterAxisNames.Docker && parseResult.GetValue(pgBin) is not null ? "chaospg: --pg-bin is for --backend local; the Docker backend takes --pg-image" : null);
            if (conflict is not null)
            {
                await error.WriteLineAsync(conflict).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var (managerList, managerProblem) = RunCommand.ManagerList(parseResult.GetValue(managers));
            if (managerProblem is not null)
            {
                await error.WriteLineAsync(managerProblem).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var count = parseResult.GetValue(seeds);
            if (count < 1)
            {
                await error.WriteLineAsync($"chaospg: --seeds must be at least 1, got {count}").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var folder = parseResult.GetValue(catalog) ?? ScenarioCatalog.FindDefaultDirectory(Environment.CurrentDirectory);
            if (folder is null || !Directory.Exists(folder))
            {
                await error.WriteLineAsync(folder is null
                    ? "chaospg: no scenarios/ folder found (looked beside ChaosPg.sln above the current directory and beside the executable)"
                    : $"chaospg: no such catalog folder: {folder}").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var options = backend.Apply(parseResult, new ScenarioRunOptions { PgBinDirectory = parseResult.GetValue(pgBin), Managers = managerList });
            var outProblem = parseResult.GetValue(output) is { } outFolder ? OutputFolder.Problem(outFolder, "--out") : null;
            if ((outProblem
                ?? await BackendOptions.PreflightAsync(options, cancellationToken).ConfigureAwait(false)
                ?? await BackendOptions.PreflightAxesAsync(options, managerList.Select(m => (ClusterAxisNames.Proxy, m)), cancellationToken).ConfigureAwait(false)) is { } unready)
            {
                await error.WriteLineAsync(unready).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            return await RunAsync(parseResult, folder, count, parseResult.GetValue(seed), parseResult.GetValue(output), options, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, string catalog, int seeds, long? seed, string? output, ScenarioRunOptions runOptions, CancellationToken cancellationToken)
    {
        var stdout = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        IReadOnlyList<string> files;
        try
        {
            files = await SignoffRunner.ReleaseFilesAsync(catalog, cancellationToken).ConfigureAwait(false);
        }
        catch (ScenarioValidationException e)
        {
            foreach (var problem in e.Errors)
            {
                await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
            }

            return CommandErrors.EnvironmentError;
        }

        if (files.Count == 0)
        {
            await error.WriteLineAsync($"chaospg: no scenario tagged '{SignoffRunner.ReleaseTag}' in {catalog}").ConfigureAwait(false);
            return CommandErrors.EnvironmentError;
        }

        var seedBase = seed ?? Random.Shared.Next(1, int.MaxValue);
        var suite = output ?? Path.Combine("reports", "signoff", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        await stdout.WriteLineAsync($"sign-off: {files.Count} release scenarios x {seeds} seeds from {catalog}, seeds {seedBase}..{seedBase + seeds - 1}, report {Path.GetFullPath(suite)}").ConfigureAwait(false);
        ScenarioRunOptions Options(IRunProgress progress) => runOptions with { Progress = progress };
        SignoffResult result;
        if (Console.IsOutputRedirected || stdout != Console.Out)
        {
            result = await SignoffRunner.RunAsync(files, seeds, seedBase, suite, Options(new PlainRunProgress(stdout)), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var live = new LiveRunProgress();
            result = await live.RunAsync(() => SignoffRunner.RunAsync(files, seeds, seedBase, suite, Options(live), cancellationToken)).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync(result.Summary.Banner()).ConfigureAwait(false);
        foreach (var unmet in result.Summary.Unmet)
        {
            await stdout.WriteLineAsync($"  {unmet.Scenario} seed {unmet.Seed} {unmet.Checker}: {unmet.Evidence}  ->  {unmet.ReplayCommand}").ConfigureAwait(false);
        }

        await stdout.WriteLineAsync($"report: {Path.Combine(result.SuiteDirectory, "index.html")} (junit: {Path.Combine(result.SuiteDirectory, "junit.xml")})").ConfigureAwait(false);
        return result.ExitCode;
    }
}
