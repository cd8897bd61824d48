namespace ChaosPg.Cluster.Providers;

/// <summary>How doctor words one finding.</summary>
public enum FindingStatus
{
    /// <summary>Present and usable.</summary>
    Ok,

    /// <summary>Needed by the default cluster and not there: doctor exits 2.</summary>
    Missing,

    /// <summary>Not there, and only an optional axis needs it: reported, not an error.</summary>
    Absent,
}
