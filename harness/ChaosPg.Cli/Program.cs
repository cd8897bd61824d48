using System.CommandLine;
using ChaosPg.Cli.Commands;
using ChaosPg.Cluster.Reaping;

namespace ChaosPg.Cli;

/// <summary>Entry point of the <c>chaospg</c> command.</summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        // Runs started by this process get a reaper that is this same program (see RunReaper for why not a script).
        // CHAOSPG_REAPER=0 turns it off, leaving a killed run's leftovers to the next run's sweep (which tests that sweep).
        if (Environment.GetEnvironmentVariable("CHAOSPG_REAPER") != "0")
        {
            RunReaper.Command = RunReaper.CommandFor(Environment.ProcessPath, typeof(Program).Assembly.Location, ReapCommand.Name);
        }

        var root = new RootCommand("ChaosPg: chaos and verification harness for PostgreSQL streaming replication.");
        root.Subcommands.Add(ProxyCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(TargetCommand.Create());
        root.Subcommands.Add(ExploreCommand.Create());
        root.Subcommands.Add(SignoffCommand.Create());
        root.Subcommands.Add(ReapCommand.Create());
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // A usage error is one line per problem and exit code 2, not the help text and exit code 1.
            foreach (var error in parseResult.Errors)
            {
                Console.Error.WriteLine($"chaospg: {CliValues.Describe(string.Join(' ', error.Message.Split(['\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))}");
            }

            return Task.FromResult(2);
        }

        if (CliValues.UnknownOption(parseResult) is { } unknown)
        {
            var command = string.Join(' ', parseResult.Tokens.Where(t => t.Type == System.CommandLine.Parsing.TokenType.Command).Select(t => t.Value));
            Console.Error.WriteLine($"chaospg: unknown option '{unknown}' for `chaospg {command}`; `chaospg {command} --help` lists its options");
            return Task.FromResult(2);
        }

        // Ctrl-C cancels the command's token; the command then tears its cluster down, which takes longer than the
        // default two seconds after which System.CommandLine would end the process and leave servers behind.
        return parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) });
    }
}
