using System.Collections.Immutable;
using System.Globalization;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>
/// The Patroni settings a scenario may choose (they go to <c>bootstrap.dcs</c>, so every node shares them). The
/// defaults are shorter than Patroni's own (ttl 30, loop_wait 10) so a failover takes seconds, not half a minute.
/// </summary>
public sealed record PatroniSettings
{
    /// <summary>Leader key TTL: how long a leader that stops renewing it keeps the role.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long each Patroni sleeps between its HA loops.</summary>
    public TimeSpan LoopWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long DCS and PostgreSQL operations are retried before the leader demotes itself.</summary>
    public TimeSpan RetryTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>A replica more than this many bytes behind the leader is never promoted.</summary>
    public long MaximumLagOnFailover { get; init; } = 1024 * 1024;

    /// <summary>
    /// Patroni's synchronous_mode: it keeps one standby synchronous and promotes only that one. On when the cluster
    /// spec's replication mode is sync, whatever this says.
    /// </summary>
    public bool SynchronousMode { get; init; }

    /// <summary>synchronous_mode_strict: with no synchronous standby, writes block instead of going asynchronous.</summary>
    public bool SynchronousModeStrict { get; init; }

    /// <summary>Members of the run's etcd: 1 or 3.</summary>
    public int EtcdMembers { get; init; } = 1;

    /// <summary>These settings by the scenario's key names, for run.json; synchronous mode as it is in effect with <paramref name="replication"/>.</summary>
    public ImmutableSortedDictionary<string, string> Describe(ReplicationMode replication)
    {
        var synchronous = SynchronousMode || replication == ReplicationMode.Sync;
        return new Dictionary<string, string>
        {
            ["ttl"] = Seconds(Ttl),
            ["loop-wait"] = Seconds(LoopWait),
            ["retry-timeout"] = Seconds(RetryTimeout),
            ["maximum-lag-on-failover"] = MaximumLagOnFailover.ToString(CultureInfo.InvariantCulture),
            ["synchronous-mode"] = SynchronousModeStrict ? "strict" : synchronous ? "on" : "off",
            ["etcd-members"] = EtcdMembers.ToString(CultureInfo.InvariantCulture),
        }.ToImmutableSortedDictionary(StringComparer.Ordinal);

        static string Seconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###}s");
    }

    /// <summary>Throws <see cref="ClusterConfigurationException"/> naming what is wrong (Patroni would refuse it, or misbehave).</summary>
    public void Validate()
    {
        if (Ttl < TimeSpan.FromSeconds(4) || LoopWait < TimeSpan.FromSeconds(1) || RetryTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ClusterConfigurationException("patroni ttl must be at least 4s, loop_wait and retry_timeout at least 1s.");
        }

        // Patroni's own rule: a leader must be able to retry and still renew its key within the TTL.
        if (LoopWait + 2 * RetryTimeout > Ttl)
        {
            throw new ClusterConfigurationException(
                $"patroni loop_wait + 2 x retry_timeout ({(LoopWait + 2 * RetryTimeout).TotalSeconds:0}s) must not exceed ttl ({Ttl.TotalSeconds:0}s); raise ttl or lower the others.");
        }

        if (MaximumLagOnFailover < 0)
        {
            throw new ClusterConfigurationException("patroni maximum_lag_on_failover must be 0 or more bytes.");
        }

        if (SynchronousModeStrict && !SynchronousMode)
        {
            throw new ClusterConfigurationException("patroni synchronous_mode_strict needs synchronous_mode (or replication: sync).");
        }

        if (EtcdMembers is not (1 or 3))
        {
            throw new ClusterConfigurationException($"etcd members must be 1 or 3, got {EtcdMembers}.");
        }
    }
}
