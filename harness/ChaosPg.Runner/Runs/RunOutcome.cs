using System.Text.Json.Serialization;
using ChaosPg.Core;

namespace ChaosPg.Runner.Runs;

/// <summary>How a run ended: every expectation met, one unmet, or the run could not complete.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<RunOutcome>))]
public enum RunOutcome
{
    Passed,
    Failed,
    Error,
}
