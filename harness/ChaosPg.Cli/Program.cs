using System.CommandLine;
using ChaosPg.Cli.Commands;

namespace ChaosPg.Cli;

/// <summary>Entry point of the <c>chaospg</c> command.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("ChaosPg: chaos and verification harness for PostgreSQL streaming replication.");
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root.Parse(args).InvokeAsync();
    }
}
