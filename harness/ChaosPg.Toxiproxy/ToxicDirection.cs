namespace ChaosPg.Toxiproxy;

/// <summary>The direction of data a toxic acts on.</summary>
public enum ToxicDirection
{
    /// <summary>Data from the upstream server back to the client (Toxiproxy's default).</summary>
    Downstream,

    /// <summary>Data from the client to the upstream server.</summary>
    Upstream,
}
