namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>The consistency model a list-append run is judged against; see <see cref="ConsistencyModels"/> for what each forbids.</summary>
public enum ConsistencyModel
{
    ReadCommitted,
    SnapshotIsolation,
    Serializable,
    StrongSessionSnapshotIsolation,
    StrongSessionSerializable,
    StrictSerializable,
}
