using System.CommandLine;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg bench</c>: measurements that print JSON figures (never asserted by tests); one subcommand per file, added here in one line.</summary>
public static class BenchCommand
{
    public static Command Create() => new("bench", "Measure the harness and print figures as JSON.")
    {
        BenchBringupCommand.Create(),
        BenchCheckerCommand.Create(),
        BenchSuiteCommand.Create(),
        BenchProxyCommand.Create(),
    };
}
