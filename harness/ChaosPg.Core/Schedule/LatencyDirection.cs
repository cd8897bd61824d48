namespace ChaosPg.Core.Schedule;

/// <summary>Which half of a link a latency fault delays: upstream is towards the server, downstream back from it.</summary>
public enum LatencyDirection
{
    Both,
    Upstream,
    Downstream,
}
