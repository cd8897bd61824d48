namespace ChaosPg.Cluster.Local;

/// <summary>A process of a run besides its postmasters (a manager's: etcd, Patroni), identified by pid and start time.</summary>
public sealed record RunOwnerProcess(string Name, int Pid, long StartTime);
