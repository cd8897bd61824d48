namespace ChaosPg.Cluster.Local;

/// <summary>One node of a run as recorded in its owner file.</summary>
public sealed record RunOwnerNode(string Name, string DataDirectory, int? PostmasterPid);
