using System.Collections.Immutable;

namespace ChaosPg.Cluster.Target;

/// <summary>The names of the fault commands a target file may give a node, and what each is for.</summary>
public static class TargetCommands
{
    /// <summary>SIGKILL of the server (a crash); a kill fault needs it and <see cref="Start"/>.</summary>
    public const string Kill = "kill";

    /// <summary>Starts a node that is down: the end of a kill fault, a restart of a killed node.</summary>
    public const string Start = "start";

    /// <summary>Freezes the server without closing a connection (SIGSTOP, docker pause); a pause fault needs it and <see cref="Resume"/>.</summary>
    public const string Pause = "pause";

    /// <summary>Thaws a paused server.</summary>
    public const string Resume = "resume";

    /// <summary>Stops and starts the server.</summary>
    public const string Restart = "restart";

    /// <summary>Promotes a replica (a promote action); the target re-points its other replicas itself.</summary>
    public const string Promote = "promote";

    /// <summary>Makes a deposed primary a replica again (a rejoin action).</summary>
    public const string Rejoin = "rejoin";

    /// <summary>Every command name, in the order errors list them.</summary>
    public static ImmutableArray<string> All { get; } = [Kill, Start, Pause, Resume, Restart, Promote, Rejoin];
}
