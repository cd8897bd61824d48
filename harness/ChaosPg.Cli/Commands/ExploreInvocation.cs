using System.CommandLine;
using ChaosPg.Cluster;
using ChaosPg.Core.Schedule;
using ChaosPg.Runner.Exploration;

namespace ChaosPg.Cli.Commands;

/// <summary>The options <c>explore</c> and <c>bench explore</c> share, and how they become <see cref="ExploreOptions"/> and a cluster trial.</summary>
internal sealed class ExploreInvocation
{
    private readonly RunInvocation shared = new();

    public Option<string> Property { get; } = new("--property") { Description = "The property to check: durability (no acknowledged write lost, no phantom, no split brain) or convergence (every replica converges after the final heal).", DefaultValueFactory = _ => "durability" };

    public Option<string> Replication { get; } = new("--replication") { Description = "async, sync (FIRST 1) or quorum (ANY 1).", DefaultValueFactory = _ => "async" };

    public Option<int> Replicas { get; } = new("--replicas") { Description = "Replicas of the cluster (1 to 5).", DefaultValueFactory = _ => 1 };

    public Option<int> Runs { get; } = new("--runs") { Description = "Generated schedules to run (shrinking runs come on top).", DefaultValueFactory = _ => 20 };

    public Option<long?> Seed { get; } = new("--seed") { Description = "Seed of the session: the same seed draws the same schedules and workload seeds (default: random, printed)." };

    public Option<string> Budget { get; } = new("--budget") { Description = "Wall time for exploring and shrinking, e.g. 10m or 90s.", DefaultValueFactory = _ => "10m" };

    public Option<int> Retries { get; } = new("--retries") { Description = "Tries per shrink candidate; it fails when any try fails (timing makes failures flaky).", DefaultValueFactory = _ => 2 };

    public Option<int> ShrinkRuns { get; } = new("--shrink-runs") { Description = "The most cluster runs spent shrinking.", DefaultValueFactory = _ => 30 };

    public Option<string> Duration { get; } = new("--duration") { Description = "Duration of each generated scenario (the closing heal comes 2 s before its end).", DefaultValueFactory = _ => "10s" };

    public Option<int> MaxSteps { get; } = new("--max-steps") { Description = "The most moves of a generated schedule before its closing heal (a failover is one).", DefaultValueFactory = _ => 5 };

    public Option<int> Parallel { get; } = new("--parallel") { Description = "Generated schedules run at once, each on its own cluster (shrinking runs one at a time).", DefaultValueFactory = _ => 1 };

    public Option<string> Bias { get; } = new("--bias") { Description = "uniform: every move alike; failover: mostly WAL-link latency and failovers.", DefaultValueFactory = _ => "uniform" };

    public void AddTo(Command command)
    {
        Property.AcceptOnlyFromAmong("durability", "convergence");
        Replication.AcceptOnlyFromAmong("async", "sync", "quorum");
        Bias.AcceptOnlyFromAmong("uniform", "failover");
        foreach (var option in new Option[] { Property, Replication, Replicas, Runs, Seed, Budget, Retries, ShrinkRuns, Duration, MaxSteps, Parallel, Bias })
        {
            command.Options.Add(option);
        }

        shared.AddTo(command);
    }

    /// <summary>The session's options, or null after printing one line per problem to stderr.</summary>
    public ExploreOptions? Options(ParseResult parseResult)
    {
        var problems = new List<string>();
        int replicas = parseResult.GetValue(Replicas);
        if (replicas is < NodeNames.MinReplicas or > NodeNames.MaxReplicas)
        {
            problems.Add($"--replicas {replicas} is out of range; use {NodeNames.MinReplicas} to {NodeNames.MaxReplicas}");
        }

        foreach (var (option, minimum) in new[] { (Runs, 1), (Retries, 1), (ShrinkRuns, 0), (MaxSteps, 1), (Parallel, 1) })
        {
            if (parseResult.GetValue(option) < minimum)
            {
                problems.Add($"{option.Name} must be at least {minimum}");
            }
        }

        if (!DurationText.TryParse(parseResult.GetValue(Budget), out var budget) || budget <= TimeSpan.Zero)
        {
            problems.Add($"--budget '{parseResult.GetValue(Budget)}' is not a duration; use {DurationText.Expected}");
        }

        if (!DurationText.TryParse(parseResult.GetValue(Duration), out var duration) || duration < TimeSpan.FromSeconds(4) || duration > TimeSpan.FromMinutes(10))
        {
            problems.Add($"--duration '{parseResult.GetValue(Duration)}' must be a duration from 4s to 10m ({DurationText.Expected})");
        }

        if (OutputFolder.Problem(parseResult.GetValue(shared.Out)!, "--out") is { } outProblem)
        {
            problems.Add(outProblem["chaospg: ".Length..]);
        }

        foreach (var problem in problems)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"chaospg: {problem}");
        }

        if (problems.Count > 0)
        {
            return null;
        }

        return new ExploreOptions
        {
            Property = parseResult.GetValue(Property) == "convergence" ? ExploreProperty.Convergence : ExploreProperty.Durability,
            Replication = parseResult.GetValue(Replication) switch
            {
                "sync" => ReplicationMode.Sync,
                "quorum" => ReplicationMode.Quorum,
                _ => ReplicationMode.Async,
            },
            Replicas = replicas,
            Runs = parseResult.GetValue(Runs),
            Seed = parseResult.GetValue(Seed) ?? Random.Shared.NextInt64(1, 1_000_000_000),
            Budget = budget,
            Retries = parseResult.GetValue(Retries),
            ShrinkRuns = parseResult.GetValue(ShrinkRuns),
            Duration = duration,
            MaxSteps = parseResult.GetValue(MaxSteps),
            Parallel = parseResult.GetValue(Parallel),
            Weights = parseResult.GetValue(Bias) == "failover" ? ScheduleWeights.Failovers : ScheduleWeights.Uniform,
            ReportsRoot = parseResult.GetValue(shared.Out)!,
        };
    }

    /// <summary>
    /// Runs the session on local clusters; progress lines go to <paramref name="progress"/>. Fails fast (exit 2 by
    /// <see cref="CommandErrors"/>) when the PostgreSQL binaries cannot be found, before any run.
    /// </summary>
    public async Task<ExploreResult> RunAsync(ParseResult parseResult, ExploreOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var runOptions = shared.Options(parseResult, null, null);
        await PgBinariesLocator.LocateAsync(runOptions.PgBinDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        var started = DateTimeOffset.UtcNow;
        var explorer = new Explorer(
            options,
            directory => new ClusterTrial(runOptions, directory),
            line => progress.WriteLine($"[{(DateTimeOffset.UtcNow - started).TotalSeconds,6:0.0}s] {line}"));
        return await explorer.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
