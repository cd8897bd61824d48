using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>Whether an operation writes a row or reads the high-water mark of a node.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<OperationKind>))]
public enum OperationKind
{
    Write,
    Read,
}
