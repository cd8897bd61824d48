using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// The cluster a scenario runs on: one primary and <see cref="Replicas"/> replicas. <see cref="Quorum"/> is k of
/// <c>FIRST k</c> (sync, default 1) or <c>ANY k</c> (quorum, required); <see cref="Settings"/> are extra
/// postgresql.conf settings for every node.
/// </summary>
public sealed record ScenarioCluster(
    int Replicas,
    ReplicationMode Replication,
    int? Quorum,
    string SynchronousCommit,
    ImmutableSortedDictionary<string, string> Settings)
{
    /// <summary>The values <c>synchronous-commit</c> accepts, as PostgreSQL spells them.</summary>
    public static readonly ImmutableArray<string> SynchronousCommitValues = ["on", "remote_apply", "remote_write", "local", "off"];

    /// <summary>The primary's synchronous_standby_names: empty when async, else <c>FIRST k (...)</c> or <c>ANY k (...)</c> over every replica.</summary>
    public string SynchronousStandbyNames => Replication switch
    {
        ReplicationMode.Async => string.Empty,
        _ => string.Create(
            CultureInfo.InvariantCulture,
            $"{(Replication == ReplicationMode.Sync ? "FIRST" : "ANY")} {Quorum ?? 1} ({string.Join(", ", NodeNames.ForCluster(Replicas).Skip(1))})"),
    };

    public bool Equals(ScenarioCluster? other) =>
        other is not null
        && Replicas == other.Replicas
        && Replication == other.Replication
        && Quorum == other.Quorum
        && SynchronousCommit == other.SynchronousCommit
        && Settings.SequenceEqual(other.Settings);

    public override int GetHashCode() => HashCode.Combine(Replicas, Replication, Quorum, SynchronousCommit, Settings.Count);
}
