using System.Collections.Immutable;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// The verdict a scenario expects from each checker, and whether acknowledged writes may be lost. A checker a file
/// does not name is expected valid, except availability (any) and durability when lost writes are allowed (any).
/// <see cref="RtoBound"/> (<c>rto: under 30s</c>) bounds the RTO the availability checker measures; null: no bound.
/// </summary>
public sealed record ScenarioExpectations(
    ExpectedVerdict Durability,
    ExpectedVerdict Phantoms,
    ExpectedVerdict Duplicates,
    ExpectedVerdict Convergence,
    ExpectedVerdict ReplicaReads,
    ExpectedVerdict SplitBrain,
    ExpectedVerdict Availability,
    LostWritesPolicy LostWrites,
    ExpectedVerdict Transactions = ExpectedVerdict.Valid,
    TimeSpan? RtoBound = null)
{
    /// <summary>The word before the bound in a file: <c>rto: under 30s</c>.</summary>
    public const string RtoBoundWord = "under";

    /// <summary>The bound as a file writes it (<c>under 30s</c>), or null when there is none.</summary>
    public string? RtoBoundText => RtoBound is { } bound ? $"{RtoBoundWord} {DurationText.Format(bound)}" : null;

    /// <summary>The checker names a scenario file may use under <c>expect</c>.</summary>
    public static readonly ImmutableArray<string> CheckerNames =
        ["durability", "phantoms", "duplicates", "convergence", "replica-reads", "split-brain", "availability", "transactions"];

    /// <summary>What a scenario that says nothing under <c>expect</c> expects.</summary>
    public static ScenarioExpectations Default { get; } = new(
        ExpectedVerdict.Valid,
        ExpectedVerdict.Valid,
        ExpectedVerdict.Valid,
        ExpectedVerdict.Valid,
        ExpectedVerdict.Valid,
        ExpectedVerdict.Valid,
        ExpectedVerdict.Any,
        LostWritesPolicy.Forbidden);

    /// <summary>The expectation for a checker named as in <see cref="CheckerNames"/>.</summary>
    public ExpectedVerdict For(string checker) => checker switch
    {
        "durability" => Durability,
        "phantoms" => Phantoms,
        "duplicates" => Duplicates,
        "convergence" => Convergence,
        "replica-reads" => ReplicaReads,
        "split-brain" => SplitBrain,
        "availability" => Availability,
        "transactions" => Transactions,
        _ => throw new ArgumentOutOfRangeException(nameof(checker), checker, "Not a checker name."),
    };

    /// <summary>A copy with the expectation for one checker replaced.</summary>
    public ScenarioExpectations With(string checker, ExpectedVerdict verdict) => checker switch
    {
        "durability" => this with { Durability = verdict },
        "phantoms" => this with { Phantoms = verdict },
        "duplicates" => this with { Duplicates = verdict },
        "convergence" => this with { Convergence = verdict },
        "replica-reads" => this with { ReplicaReads = verdict },
        "split-brain" => this with { SplitBrain = verdict },
        "availability" => this with { Availability = verdict },
        "transactions" => this with { Transactions = verdict },
        _ => throw new ArgumentOutOfRangeException(nameof(checker), checker, "Not a checker name."),
    };
}
