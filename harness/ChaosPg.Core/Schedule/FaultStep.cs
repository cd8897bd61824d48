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
}
