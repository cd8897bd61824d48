using System.Collections.Immutable;

namespace ChaosPg.Cluster;

/// <summary>What cluster to bring up: replica count, replication mode and server settings. Build with <see cref="ClusterSpecBuilder"/>.</summary>
public sealed record ClusterSpec
{
    internal ClusterSpec(
        int replicas,
        ReplicationMode replicationMode,
        int quorum,
        SynchronousCommit synchronousCommit,
        SyncAfterPromotion syncAfterPromotion,
        string? pgBinDirectory,
        ImmutableSortedDictionary<string, string> extraSettings)
    {
        Replicas = replicas;
        ReplicationMode = replicationMode;
        Quorum = quorum;
        SynchronousCommit = synchronousCommit;
        SyncAfterPromotion = syncAfterPromotion;
        PgBinDirectory = pgBinDirectory;
        ExtraSettings = extraSettings;
    }

    /// <summary>Number of hot-standby replicas, 1..5.</summary>
    public int Replicas { get; }

    public ReplicationMode ReplicationMode { get; }

    /// <summary>The k of <c>FIRST k</c> (sync) or <c>ANY k</c> (quorum); 1 when async.</summary>
    public int Quorum { get; }

    public SynchronousCommit SynchronousCommit { get; }

    /// <summary>What a promoted node waits for under sync or quorum replication; meaningless when async.</summary>
    public SyncAfterPromotion SyncAfterPromotion { get; }

    /// <summary>Explicit PostgreSQL bin directory (<c>--pg-bin</c>), or null to auto-detect.</summary>
    public string? PgBinDirectory { get; }

    /// <summary>Extra postgresql.conf settings, applied to every node.</summary>
    public ImmutableSortedDictionary<string, string> ExtraSettings { get; }

    /// <summary>Node names in order: primary first, then replica1..replicaN.</summary>
    public ImmutableArray<string> NodeNames =>
        [NodeNamePrimary, .. Enumerable.Range(1, Replicas).Select(i => $"replica{i}")];

    /// <summary>Name of the node that starts as primary.</summary>
    public const string NodeNamePrimary = "primary";

    /// <summary>
    /// The synchronous_standby_names value. The original primary is listed last so that, after a failover, it can
    /// serve as a synchronous standby once it has rejoined.
    /// </summary>
    public string SynchronousStandbyNames
    {
        get
        {
            var names = string.Join(", ", NodeNames.Skip(1).Append(NodeNamePrimary));
            return ReplicationMode switch
            {
                ReplicationMode.Sync => $"FIRST {Quorum} ({names})",
                ReplicationMode.Quorum => $"ANY {Quorum} ({names})",
                _ => string.Empty,
            };
        }
    }

    /// <summary>
    /// The synchronous_standby_names value of a promoted node whose standbys are <paramref name="standbys"/>, as
    /// <see cref="SyncAfterPromotion"/> says: those standbys in the order of <see cref="SynchronousStandbyNames"/>,
    /// k capped at their number; empty (commits do not wait) when async, with <see cref="SyncAfterPromotion.None"/>,
    /// or with no standby.
    /// </summary>
    public string SynchronousStandbyNamesFor(IEnumerable<string> standbys)
    {
        ArgumentNullException.ThrowIfNull(standbys);
        var set = standbys.ToHashSet(StringComparer.Ordinal);
        var names = NodeNames.Skip(1).Append(NodeNamePrimary).Where(set.Contains).ToList();
        if (ReplicationMode == ReplicationMode.Async || SyncAfterPromotion == SyncAfterPromotion.None || names.Count == 0)
        {
            return string.Empty;
        }

        var k = Math.Min(Quorum, names.Count);
        return $"{(ReplicationMode == ReplicationMode.Sync ? "FIRST" : "ANY")} {k} ({string.Join(", ", names)})";
    }

    /// <summary>The sync_state pg_stat_replication shows for a standby once this spec's replication is established.</summary>
    public string ExpectedSyncState => ReplicationMode switch
    {
        ReplicationMode.Sync => "sync",
        ReplicationMode.Quorum => "quorum",
        _ => "async",
    };

    public static ClusterSpecBuilder CreateBuilder() => new();
}
