using System.Collections.Immutable;

namespace ChaosPg.Runner.Scenarios;

/// <summary>Thrown when a scenario file is not valid; carries every error found, not just the first.</summary>
public sealed class ScenarioValidationException : Exception
{
    public ScenarioValidationException(ImmutableArray<ScenarioError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public ScenarioValidationException()
        : this([])
    {
    }

    public ScenarioValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ScenarioValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public ImmutableArray<ScenarioError> Errors { get; }

    private static string Describe(ImmutableArray<ScenarioError> errors) =>
        errors.Length == 1
            ? errors[0].ToString()
            : $"{errors.Length} errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";
}
