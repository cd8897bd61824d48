using System.CommandLine;
using System.Text.Json;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg bench bringup</c>: median bring-up of primary + 1 replica to streaming against median bare initdb.</summary>
public static class BenchBringupCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Bring-ups and initdb runs to take the median of.", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var pgBin = new Option<string?>("--pg-bin") { Description = "PostgreSQL bin directory." };
        var backend = new BackendOptions();
        var command = new Command("bringup", "Median bring-up (primary + 1 replica streaming, template warm) vs median bare initdb; with --backend docker, containers vs local processes in the same run.") { runs, pgBin };
        backend.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            if (backend.Conflict(parseResult) is { } conflict)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(conflict).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var options = backend.Apply(parseResult, new Runner.Orchestration.ScenarioRunOptions());
            if (options.Backend == ClusterBackend.Docker)
            {
                var docker = await BringupBenchmark.MeasureDockerAsync(
                    parseResult.GetValue(runs),
                    parseResult.GetValue(pgBin),
                    new DockerClusterOptions { PgImage = options.PgImage, ToxiproxyImage = options.ToxiproxyImage },
                    cancellationToken).ConfigureAwait(false);
                Console.WriteLine(JsonSerializer.Serialize(docker, JsonOptions));
                return 0;
            }

            var figures = await BringupBenchmark.MeasureAsync(parseResult.GetValue(runs), parseResult.GetValue(pgBin), cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(figures, JsonOptions));
            return 0;
        }));
        return command;
    }
}
