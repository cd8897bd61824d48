using System.CommandLine;
using ChaosPg.Cluster.Providers;
using ChaosPg.Cluster.Target;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Targets;

namespace ChaosPg.Cli.Commands;

/// <summary>--target and --i-own-this-cluster, shared by <c>run</c> and <c>replay</c>: reading the file, and what contradicts it.</summary>
internal sealed class TargetOptions
{
    public Option<string?> File { get; } = new("--target") { Description = "Run against a cluster ChaosPg did not start, described by this target file (docs/targets.md)." };

    public Option<bool> OwnIt { get; } = new("--i-own-this-cluster") { Description = "Confirm that the --target cluster may be killed, paused and partitioned (or say i-own-this-cluster: true in the file)." };

    public void AddTo(Command command)
    {
        command.Options.Add(File);
        command.Options.Add(OwnIt);
    }

    /// <summary>
    /// The target file given, read and validated; null without --target. Failed is true (and every error already
    /// written to stderr, one a line) when the options contradict each other or the file is not valid.
    /// </summary>
    public async Task<(TargetSpec? Target, bool Failed)> ReadAsync(ParseResult parseResult, RunInvocation shared, CancellationToken cancellationToken)
    {
        var stderr = parseResult.InvocationConfiguration.Error;
        if (parseResult.GetValue(File) is not { } file)
        {
            if (!parseResult.GetValue(OwnIt))
            {
                return (null, false);
            }

            await stderr.WriteLineAsync("chaospg: --i-own-this-cluster goes with --target <file>").ConfigureAwait(false);
            return (null, true);
        }

        if (Conflict(parseResult, shared) is { } conflict)
        {
            await stderr.WriteLineAsync(conflict).ConfigureAwait(false);
            return (null, true);
        }

        var parsed = TargetParser.Parse(await System.IO.File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file);
        foreach (var error in parsed.Errors)
        {
            await stderr.WriteLineAsync(error.ToString()).ConfigureAwait(false);
        }

        return (parsed.Target, !parsed.IsValid);
    }

    /// <summary>The run options against <paramref name="target"/>.</summary>
    public ScenarioRunOptions Apply(ParseResult parseResult, ScenarioRunOptions options, TargetSpec target) =>
        options with { Backend = ClusterAxisNames.Target, Target = target, OwnsTarget = parseResult.GetValue(OwnIt) };

    // A target names its own nodes and Toxiproxy: options that choose a backend's or a proxy contradict it.
    private static string? Conflict(ParseResult parseResult, RunInvocation shared) =>
        shared.Backend.Chosen(parseResult, ClusterAxisNames.Target) != ClusterAxisNames.Target ? "chaospg: --target runs against the target file's cluster; leave out --backend (or say --backend target)"
        : parseResult.GetValue(shared.ToxiproxyUrl) is not null ? "chaospg: --target takes its Toxiproxy from the target file (toxiproxy.url); leave out --toxiproxy-url"
        : parseResult.GetValue(shared.PgBin) is not null || parseResult.GetValue(shared.Backend.PgImage) is not null || parseResult.GetValue(shared.Backend.ToxiproxyImage) is not null
            ? "chaospg: --pg-bin, --pg-image and --toxiproxy-image choose what ChaosPg starts; a --target run starts no server"
            : null;
}
