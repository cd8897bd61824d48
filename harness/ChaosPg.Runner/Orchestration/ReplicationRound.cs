using System.Collections.Immutable;
using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Orchestration;

/// <summary>One successful sampling of pg_stat_replication: on which primary, when, every replica's sample, and the manager's view then.</summary>
/// <param name="AtMicros">When it was taken, on the history's clock.</param>
/// <param name="Primary">The node whose pg_stat_replication was read.</param>
/// <param name="Samples">One per replica, as written to replication.jsonl.</param>
/// <param name="View">The manager's latest view at that instant; null without a manager or before its first answer.</param>
public sealed record ReplicationRound(long AtMicros, string Primary, ImmutableArray<ReplicationSample> Samples, ManagerView? View);
