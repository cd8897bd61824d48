namespace ChaosPg.Toxiproxy;

/// <summary>Which Toxiproxy a run uses.</summary>
public enum ToxiproxyKind
{
    /// <summary>A server someone else runs, given by URL.</summary>
    External,

    /// <summary>A <c>toxiproxy-server</c> process found on PATH and started for the run.</summary>
    ToxiproxyServer,

    /// <summary>The in-process Toxiproxy-compatible server.</summary>
    Embedded,

    /// <summary>A Toxiproxy container of the Docker backend, started for the run.</summary>
    Container,
}
