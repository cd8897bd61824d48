using System.Collections.Immutable;
using ChaosPg.Cluster.Target;
using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Targets;

/// <summary>The outcome of reading a target file: the target when there is no error, otherwise every error (file:line:column).</summary>
public sealed record TargetParseResult(TargetSpec? Target, ImmutableArray<ScenarioError> Errors)
{
    public bool IsValid => Target is not null && Errors.IsEmpty;

    /// <summary>The target, or a <see cref="ScenarioValidationException"/> with every error.</summary>
    public TargetSpec GetTargetOrThrow() => IsValid ? Target! : throw new ScenarioValidationException(Errors);
}
