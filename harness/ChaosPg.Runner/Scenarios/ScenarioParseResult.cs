using System.Collections.Immutable;

namespace ChaosPg.Runner.Scenarios;

/// <summary>The outcome of reading a scenario file: the scenario when there is no error, otherwise every error.</summary>
public sealed record ScenarioParseResult(Scenario? Scenario, ImmutableArray<ScenarioError> Errors)
{
    public bool IsValid => Scenario is not null && Errors.IsEmpty;

    /// <summary>The scenario, or a <see cref="ScenarioValidationException"/> with every error.</summary>
    public Scenario GetScenarioOrThrow() => IsValid ? Scenario! : throw new ScenarioValidationException(Errors);
}
