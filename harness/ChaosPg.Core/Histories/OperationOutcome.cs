using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>How an operation ended: ok, definitely failed, or unknown (may or may not have taken effect).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<OperationOutcome>))]
public enum OperationOutcome
{
    Ok,
    Fail,
    Indeterminate,
}
