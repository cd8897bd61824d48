using System.CommandLine;
using System.Text.Json;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg bench bringup</c>: median bring-up of primary + 1 replica to streaming against median bare initdb.</summary>
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
        var command = new Command("bringup", "Median bring-up (primary + 1 replica streaming, template warm) vs median bare initdb.") { runs, pgBin };
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var figures = await BringupBenchmark.MeasureAsync(parseResult.GetValue(runs), parseResult.GetValue(pgBin), cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine(JsonSerializer.Serialize(figures, JsonOptions));
            return 0;
        }));
        return command;
    }
}
