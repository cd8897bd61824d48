using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Checkers;

/// <summary>What the checkers read of a write, packed into 32 bytes so a pass over a million writes stays in cache.</summary>
internal readonly struct WriteRecord(long invokeMicros, long endMicros, long? seq, int node, OperationOutcome outcome, bool hungUntilStop = false)
{
    public long InvokeMicros { get; } = invokeMicros;

    public long EndMicros { get; } = endMicros;

    /// <summary>The write's seq; meaningful only when <see cref="HasSeq"/>.</summary>
    public long Seq { get; } = seq ?? 0;

    /// <summary>The node's id in <see cref="HistoryIndex.NodeId"/>.</summary>
    public int Node { get; } = node;

    public bool HasSeq { get; } = seq.HasValue;

    /// <summary>Still waiting when the workload stopped (<see cref="Operation.HungUntilStop"/>).</summary>
    public bool HungUntilStop { get; } = hungUntilStop;

    // Declared last: a struct keeps its fields in declaration order, and a byte up front would pad the record to 40 bytes.
    private readonly byte outcome = (byte)outcome;

    public OperationOutcome Outcome => (OperationOutcome)outcome;
}
