using ChaosPg.Cluster;

namespace ChaosPg.Runner.Exploration;

/// <summary>What <c>chaospg explore</c> searches: the property, the cluster shape, how many schedules, the seed and the budget.</summary>
public sealed record ExploreOptions
{
    public ExploreProperty Property { get; init; } = ExploreProperty.Durability;

    public ReplicationMode Replication { get; init; } = ReplicationMode.Async;

    public int Replicas { get; init; } = 1;

    /// <summary>Generated schedules to run before giving up (shrinking runs come on top).</summary>
    public int Runs { get; init; } = 20;

    /// <summary>The seed of the whole session: it draws every schedule and every run's workload seed.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Wall time for exploring and shrinking together; the session stops between runs when it is spent.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Tries per shrink candidate (a candidate fails when any try does).</summary>
    public int Retries { get; init; } = 2;

    /// <summary>The most runs spent shrinking.</summary>
    public int ShrinkRuns { get; init; } = 30;

    /// <summary>Runs a violating shrink candidate must violate again in before it replaces the reproducer.</summary>
    public int Confirmations { get; init; } = 1;

    /// <summary>Generated schedules run at once, each on its own cluster (shrinking runs one at a time).</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>Each generated scenario's duration.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most moves of a generated schedule before its closing heal.</summary>
    public int MaxSteps { get; init; } = 5;

    /// <summary>How often the generator draws each kind of move.</summary>
    public ScheduleWeights Weights { get; init; } = ScheduleWeights.Uniform;

    /// <summary>The reports folder; the session writes <c>&lt;root&gt;/explore/&lt;utc&gt;/</c>.</summary>
    public string ReportsRoot { get; init; } = "reports";

    /// <summary>The generator's options for these settings.</summary>
    public ScheduleGeneratorOptions Generator => new()
    {
        Replicas = Replicas,
        Duration = Duration,
        MaxSteps = MaxSteps,
        Weights = Weights,
        RequireAllNodesBack = Property == ExploreProperty.Convergence,
    };
}
