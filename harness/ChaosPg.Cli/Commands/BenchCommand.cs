using System.CommandLine;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg bench</c>: parent of the measuring subcommands; each subcommand lives in its own file and is added here in one line.</summary>
public static class BenchCommand
{
    public static Command Create() => new("bench", "Measure the harness and print figures as JSON.")
    {
        BenchBringupCommand.Create(),
    };
}
