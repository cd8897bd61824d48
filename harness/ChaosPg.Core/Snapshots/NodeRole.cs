using System.Text.Json.Serialization;

namespace ChaosPg.Core.Snapshots;

/// <summary>The role a node reported when it was snapshotted (pg_is_in_recovery()).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<NodeRole>))]
public enum NodeRole
{
    Unknown,
    Primary,
    Replica,
}
