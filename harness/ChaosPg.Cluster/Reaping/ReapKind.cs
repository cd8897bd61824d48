namespace ChaosPg.Cluster.Reaping;

/// <summary>What a <see cref="ReapEntry"/> names; the reaper handles the kinds in this order: processes first, paths last.</summary>
public enum ReapKind
{
    /// <summary>One process, by pid and start time (a reused pid is never signalled), with the group it leads.</summary>
    Process,

    /// <summary>Every process whose command line contains a marker unique to the run (its work directory), with the groups they lead.</summary>
    CommandLine,

    /// <summary>A PostgreSQL data directory: the SysV segment its killed postmaster left is removed.</summary>
    PostgresData,

    /// <summary>Containers, networks and volumes carrying a Docker label (<c>name=value</c>).</summary>
    DockerLabel,

    /// <summary>A network namespace (<c>ip netns</c> name).</summary>
    NetworkNamespace,

    /// <summary>A file or directory, deleted (recursively).</summary>
    Path,
}
