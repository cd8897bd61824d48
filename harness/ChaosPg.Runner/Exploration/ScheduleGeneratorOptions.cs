using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Exploration;

/// <summary>
/// The shape of generated schedules: the cluster's replicas, the scenario duration, at most <see cref="MaxSteps"/>
/// moves before the closing heal, and whether every node must be back (rejoined, restarted) by then.
/// </summary>
public sealed record ScheduleGeneratorOptions
{
    /// <summary>Replicas of the cluster (1 to 5).</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>The scenario duration; the closing heal and wait-converged come <see cref="Settle"/> before its end.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between the closing heal and the end of the workload, for the cluster to take writes again.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The most moves (a failover counts as one) before the closing heal.</summary>
    public int MaxSteps { get; init; } = 5;

    /// <summary>True when every deposed primary must rejoin before the closing heal, so the convergence property can hold.</summary>
    public bool RequireAllNodesBack { get; init; }

    /// <summary>How often each kind of move is drawn.</summary>
    public ScheduleWeights Weights { get; init; } = ScheduleWeights.Uniform;

    /// <summary>The deadline of the closing wait-converged.</summary>
    public TimeSpan ConvergeDeadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>When the closing heal and wait-converged run.</summary>
    public TimeSpan HealAt => Duration - Settle;

    /// <summary>Throws when the options cannot produce a schedule.</summary>
    public void Validate()
    {
        if (Replicas is < NodeNames.MinReplicas or > NodeNames.MaxReplicas)
        {
            throw new ArgumentOutOfRangeException(nameof(Replicas), Replicas, $"Expected {NodeNames.MinReplicas} to {NodeNames.MaxReplicas} replicas.");
        }

        if (HealAt < TimeSpan.FromSeconds(2) || !DurationText.IsWholeMilliseconds(Duration) || !DurationText.IsWholeMilliseconds(Settle))
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "Expected whole milliseconds with at least 2 s before the closing heal.");
        }

        if (MaxSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "Expected at least one move.");
        }
    }
}
