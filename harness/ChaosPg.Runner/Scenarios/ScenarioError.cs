using System.Globalization;

namespace ChaosPg.Runner.Scenarios;

/// <summary>A problem with a scenario file, where it is (1-based line and column) and what was expected.</summary>
public sealed record ScenarioError(string File, int Line, int Column, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Message}");
}
