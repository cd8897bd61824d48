namespace ChaosPg.Core.Histories;

/// <summary>
/// The parameters of the events an HA manager's decisions are recorded as (a <c>promote</c> or <c>role-change</c> with
/// <see cref="By"/>): what changed and, at a promotion, how far behind the promoted node was when it was chosen and
/// the settings the manager promised by. The report, replay and the durability checker read them back.
/// </summary>
public static class ManagerEventParameters
{
    /// <summary>The manager that decided (<c>patroni</c>, ...): present on every manager decision, never on the harness's own events.</summary>
    public const string By = "by";

    /// <summary>What changed, in kebab case: <c>leader-changed</c>, <c>promoted</c>, <c>lock-lost</c>, <c>demoted</c>, ...</summary>
    public const string Change = "change";

    /// <summary>Bytes the promoted node's replay was behind the old leader's current WAL in the last sample before the change.</summary>
    public const string LagBytes = "lag-bytes";

    /// <summary>pg_stat_replication's replay_lag of the promoted node in that sample, in milliseconds, when reported.</summary>
    public const string LagMs = "lag-ms";

    /// <summary>When that sample was taken, on the history's clock.</summary>
    public const string LagSeenAtMicros = "lag-seen-at-micros";

    /// <summary>Where the lag was read: <c>pg_stat_replication on NODE at 12.500s</c>, or why there is none.</summary>
    public const string LagSource = "lag-source";

    /// <summary>The lag the manager itself listed for the promoted member (Patroni's /cluster <c>lag</c>), in bytes.</summary>
    public const string ManagerLagBytes = "manager-lag-bytes";

    /// <summary><c>true</c> when no other replica in that sample was less behind, <c>false</c> when one was, absent when unknown.</summary>
    public const string MostAdvanced = "most-advanced";

    /// <summary>Every replica's lag in that sample: <c>replica1=0 replica2=1234</c> (<c>?</c> when it had none).</summary>
    public const string ReplicaLags = "replica-lags";

    /// <summary>The manager's synchronous mode at the promotion: <c>off</c>, <c>on</c>, <c>strict</c>.</summary>
    public const string SynchronousMode = "synchronous-mode";

    /// <summary>The manager's bound on a failover candidate's lag, in bytes (Patroni's maximum_lag_on_failover).</summary>
    public const string MaximumLagOnFailover = "maximum-lag-on-failover";

    /// <summary>True for an event that records an HA manager's decision rather than the harness's own fault or action.</summary>
    public static bool IsManagerDecision(RecordedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Kind is EventKind.Promote or EventKind.RoleChange && e.Parameters.ContainsKey(By);
    }
}
