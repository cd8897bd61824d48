using System.CommandLine;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg bench ...</c>: measurements that print JSON figures (never asserted by tests).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure ChaosPg's own speed and memory; prints JSON.");
        command.Subcommands.Add(BenchCheckerCommand.Create());
        return command;
    }
}
