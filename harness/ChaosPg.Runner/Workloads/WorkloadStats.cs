namespace ChaosPg.Runner.Workloads;

/// <summary>
/// Live counts of completed operations, for progress output. <see cref="WriteConnectFailures"/> counts writer
/// attempts to open a connection that failed before any operation began (no node was writable).
/// </summary>
public sealed record WorkloadStats(
    long WritesOk,
    long WritesFailed,
    long WritesIndeterminate,
    long ReadsOk,
    long ReadsFailed,
    long WriteConnectFailures);
