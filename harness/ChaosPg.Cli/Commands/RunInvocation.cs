using System.CommandLine;
using ChaosPg.Cli.Progress;
using ChaosPg.Cluster.Providers;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Scenarios;
using ChaosPg.Runner.Targets;

namespace ChaosPg.Cli.Commands;

/// <summary>The options <c>run</c>, <c>replay</c> and <c>bench suite</c> share, and how a suite is run with live progress.</summary>
internal sealed class RunInvocation
{
    public Option<string> Out { get; } = new("--out") { Description = "Reports folder: runs go to <out>/runs/<scenario>/<utc>-<seed>/, suites to <out>/suites/<utc>/.", DefaultValueFactory = _ => "reports" };

    public Option<bool> KeepData { get; } = new("--keep-data") { Description = "Keep the nodes' data directories after the run." };

    public Option<string?> PgBin { get; } = new("--pg-bin") { Description = "PostgreSQL bin directory (default: CHAOSPG_PG_BIN, pg_config, newest /usr/lib/postgresql/*/bin)." };

    public Option<Uri?> ToxiproxyUrl { get; } = CliValues.ToxiproxyUrl("--toxiproxy-url", "A running Toxiproxy's API, e.g. http://127.0.0.1:8474 (default: toxiproxy-server from PATH, else the embedded one).");

    public BackendOptions Backend { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Out);
        command.Options.Add(KeepData);
        command.Options.Add(PgBin);
        command.Options.Add(ToxiproxyUrl);
        Backend.AddTo(command);
    }

    /// <summary>The run options; <paramref name="recorded"/> (a replay's run) gives the backend and images not given.</summary>
    public ScenarioRunOptions Options(ParseResult parseResult, long? seed, IRunProgress? progress, RunManifest? recorded = null) => Backend.Apply(parseResult, new ScenarioRunOptions
    {
        ReportsRoot = parseResult.GetValue(Out)!,
        KeepData = parseResult.GetValue(KeepData),
        PgBinDirectory = parseResult.GetValue(PgBin),
        ToxiproxyUrl = parseResult.GetValue(ToxiproxyUrl),
        Seed = seed,
        Progress = progress,
    }, recorded?.Backend, recorded?.PgImage, recorded?.ToxiproxyImage);

    /// <summary>A one-line error for options that contradict the chosen backend, or null.</summary>
    public string? Conflict(ParseResult parseResult, string? defaultBackend = null)
    {
        var docker = Backend.Chosen(parseResult, defaultBackend) == ClusterAxisNames.Docker;
        return docker && parseResult.GetValue(PgBin) is not null ? "chaospg: --pg-bin is for --backend local; the Docker backend takes --pg-image"
            : docker && parseResult.GetValue(ToxiproxyUrl) is not null ? "chaospg: --toxiproxy-url is for --backend local; the Docker backend starts a --toxiproxy-image container"
            : Backend.Conflict(parseResult, defaultBackend);
    }

    /// <summary>
    /// Runs the files with a live view on a terminal or plain lines when redirected; returns the exit code.
    /// <paramref name="finished"/>, when given, sees the result before the exit code is returned (replay compares with it).
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parseResult, IReadOnlyList<string> files, Func<IRunProgress, ScenarioRunOptions> options, CancellationToken cancellationToken, Func<SuiteRunResult, TextWriter, Task>? finished = null)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var given = options(new PlainRunProgress(output));
        if ((OutputFolder.Problem(given.ReportsRoot, "--out") ?? await BackendOptions.PreflightAsync(given, files, cancellationToken).ConfigureAwait(false)) is { } unready)
        {
            await error.WriteLineAsync(unready).ConfigureAwait(false);
            return CommandErrors.EnvironmentError;
        }

        try
        {
            SuiteRunResult result;
            if (Console.IsOutputRedirected || output != Console.Out)
            {
                var plain = new PlainRunProgress(output);
                result = await SuiteRunner.RunAsync(files, options(plain), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var live = new LiveRunProgress();
                result = await live.RunAsync(() => SuiteRunner.RunAsync(files, options(live), cancellationToken)).ConfigureAwait(false);
            }

            if (result.SuiteDirectory is { } suite)
            {
                foreach (var run in result.Runs)
                {
                    output.WriteLine($"{RunSummaryText.Word(run.Results.Outcome),-7} {run.Scenario.Name,-32} {run.Elapsed.TotalSeconds,6:0.0} s  {run.Folder.Path}");
                }

                output.WriteLine($"suite: {Path.Combine(suite, "index.html")} (junit: {Path.Combine(suite, "junit.xml")})");
            }

            if (finished is not null)
            {
                await finished(result, output).ConfigureAwait(false);
            }

            return result.ExitCode;
        }
        catch (TargetMismatchException e)
        {
            foreach (var problem in e.Problems)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
            }

            return CommandErrors.EnvironmentError;
        }
        catch (ScenarioValidationException e)
        {
            foreach (var problem in e.Errors)
            {
                await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
            }

            return CommandErrors.EnvironmentError;
        }
    }
}
