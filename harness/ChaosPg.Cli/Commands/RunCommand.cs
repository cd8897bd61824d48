using System.CommandLine;
using ChaosPg.Runner.Orchestration;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg run &lt;file|dir&gt;...</c>: runs scenarios against a cluster (local processes or containers) and writes run folders (several make a suite).</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Scenario files, or folders whose *.yaml files to run.", Arity = ArgumentArity.OneOrMore };
        var seed = new Option<long?>("--seed") { Description = "Seed of the workload (default: random; recorded in run.json)." };
        var shared = new RunInvocation();
        var command = new Command("run", "Run scenarios and judge them; exit 0 all expectations met, 1 one unmet, 2 usage or environment error.") { paths, seed };
        shared.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            if (shared.Conflict(parseResult) is { } conflict)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(conflict).ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var files = ScenarioCatalog.Expand(parseResult.GetRequiredValue(paths));
            if (files.Count == 0)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("chaospg: no *.yaml scenario files in the given folders").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            return await RunInvocation.RunAsync(parseResult, files, progress => shared.Options(parseResult, parseResult.GetValue(seed), progress), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }
}
