using System.Text.Json.Serialization;

namespace ChaosPg.Core.Checkers;

/// <summary>A checker's judgement. Merge order: invalid > unknown > valid.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<Verdict>))]
public enum Verdict
{
    Valid,
    Unknown,
    Invalid,
}
