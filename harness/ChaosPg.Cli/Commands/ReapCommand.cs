using System.CommandLine;
using ChaosPg.Cluster.Reaping;

namespace ChaosPg.Cli.Commands;

/// <summary>
/// <c>chaospg reap --manifest PATH</c> (hidden): a run's reaper, started by the run itself (<see cref="RunReaper"/>).
/// It waits for its standard input to end, which happens when the run's process dies, then removes what the reap list
/// names. A <c>done</c> line first (a clean teardown) makes it exit without touching anything.
/// </summary>
public static class ReapCommand
{
    /// <summary>The subcommand's name, as <see cref="RunReaper.Command"/> re-executes it.</summary>
    public const string Name = "reap";

    public static Command Create()
    {
        var manifest = new Option<string>("--manifest") { Description = "The run's reap list (JSON lines).", Required = true };
        var command = new Command(Name, "The reaper of one run: reaps its reap list once standard input ends.") { manifest };
        command.Hidden = true;
        command.SetAction(async (parseResult, _) =>
        {
            // Never cancelled: a reap half done is worse than one that takes its few seconds.
            using var input = Console.OpenStandardInput();
            return await Reaper.RunAsync(parseResult.GetRequiredValue(manifest), input, Console.Out, CancellationToken.None).ConfigureAwait(false);
        });
        return command;
    }
}
