using System.CommandLine;
using ChaosPg.Runner.Orchestration;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg run &lt;file|dir&gt;...</c>: runs scenarios against a local cluster and writes run folders (several make a suite).</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Scenario files, or folders whose *.yaml files to run.", Arity = ArgumentArity.OneOrMore };
        var backend = new Option<string>("--backend") { Description = "Where the cluster runs: local processes.", DefaultValueFactory = _ => "local" };
        var seed = new Option<long?>("--seed") { Description = "Seed of the workload (default: random; recorded in run.json)." };
        var shared = new RunInvocation();
        var command = new Command("run", "Run scenarios and judge them; exit 0 all expectations met, 1 one unmet, 2 usage or environment error.") { paths, backend, seed };
        shared.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var chosen = parseResult.GetValue(backend);
            if (chosen != "local")
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(chosen == "docker"
                    ? "chaospg: --backend docker is not available yet; use --backend local"
                    : $"chaospg: unknown backend '{chosen}'; use --backend local").ConfigureAwait(false);
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
