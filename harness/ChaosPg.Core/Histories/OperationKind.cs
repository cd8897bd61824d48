using System.Text.Json.Serialization;

namespace ChaosPg.Core.Histories;

/// <summary>Whether an operation writes a row, reads the high-water mark of a node, or runs a list-append transaction.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<OperationKind>))]
public enum OperationKind
{
    Write,
    Read,

    /// <summary>A list-append transaction: its micro-ops are in <see cref="Operation.Transaction"/>.</summary>
    Txn,
}
