using System.CommandLine;
using System.Text.Json;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cli.Commands;

/// <summary>
/// <c>chaospg bench bringup</c>: median bring-up of primary + 1 replica to streaming through the provider; the
/// default provider against median bare initdb, any other (--backend docker, --manager ...) against the default one.
/// </summary>
public static class BenchBringupCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Bring-ups and initdb runs to take the median of.", DefaultValueFactory = _ => 5 };
        runs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--runs must be at least 1.");
            }
        });
        var pgBin = new Option<string?>("--pg-bin") { Description = "PostgreSQL bin directory." };
        var backend = new BackendOptions();
        var axes = new ClusterAxisOptions();
        var command = new Command("bringup", "Median bring-up (primary + 1 replica streaming, template warm, links through the proxy) vs median bare initdb; another backend or manager vs the default (local) provider in the same run.") { runs, pgBin };
        backend.AddTo(command);
        axes.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            if (backend.Conflict(parseResult) is { } conflict)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(conflict).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var options = backend.Apply(parseResult, new Runner.Orchestration.ScenarioRunOptions { PgBinDirectory = parseResult.GetValue(pgBin) });
            var request = axes.Apply(parseResult, options.Request(ClusterSpec.CreateBuilder().WithReplicas(1).WithPgBinDirectory(options.PgBinDirectory).Build()));
            var baseline = new ClusterRequest(request.Spec) { WorkRoot = request.WorkRoot, CleanupTimeout = request.CleanupTimeout };
            foreach (var asked in request.HasDefaultAxes ? [request] : new[] { request, baseline })
            {
                var problems = await options.Provider.PreflightAsync(asked, cancellationToken).ConfigureAwait(false);
                if (!problems.IsEmpty)
                {
                    await parseResult.InvocationConfiguration.Error.WriteLineAsync("chaospg: " + string.Join("; ", problems)).ConfigureAwait(false);
                    return CommandErrors.EnvironmentError;
                }
            }

            object figures = request.HasDefaultAxes
                ? await BringupBenchmark.MeasureAsync(options.Provider, request, parseResult.GetValue(runs), cancellationToken).ConfigureAwait(false)
                : await BringupBenchmark.MeasureAgainstAsync(options.Provider, request, baseline, parseResult.GetValue(runs), cancellationToken).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(figures, figures.GetType(), JsonOptions));
            return 0;
        }));
        return command;
    }
}
