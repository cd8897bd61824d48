namespace ChaosPg.Core.Schedule;

/// <summary>
/// A fault: applied at <see cref="ScheduleStep.At"/>; a lasting one is removed after <see cref="For"/>, or by the next
/// heal when <see cref="For"/> is null (kill excepted: heal leaves killed nodes down).
/// </summary>
public abstract record FaultStep(TimeSpan At, FaultTarget Target, TimeSpan? For) : ScheduleStep(At)
{
    /// <summary>False for instantaneous faults (restart, terminate-backends), which have nothing to remove.</summary>
    public abstract bool IsLasting { get; }

    /// <summary>True for faults on links (partition, blackhole, latency, bandwidth, reset).</summary>
    public abstract bool IsNetwork { get; }

    /// <summary>True when heal removes this fault: network faults and pauses; a killed node stays down.</summary>
    public bool IsHealable => IsLasting && (IsNetwork || this is PauseFault);

    /// <summary>
    /// Whether network faults of these kinds cannot both hold on one link: two of one kind, or a refused link and a
    /// silent one (partition, blackhole, and an isolated node's links).
    /// </summary>
    public static bool Contradict(string keyword, string otherKeyword) =>
        keyword == otherKeyword || (IsCut(keyword) && IsCut(otherKeyword));

    private static bool IsCut(string keyword) => keyword is "partition" or "blackhole" or "isolate";
}
