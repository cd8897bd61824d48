namespace ChaosPg.Cluster.Local;

/// <summary>
/// Where a local node listens and how it is started: on 127.0.0.1 in the root namespace (<see cref="LoopbackNodeNetwork"/>),
/// or in a network namespace of its own (the kernel network mode).
/// </summary>
public interface INodeNetwork
{
    /// <summary>The host the harness's own connections to <paramref name="node"/> use (never faulted).</summary>
    string AdminHost(string node);

    /// <summary>The server's <c>listen_addresses</c>.</summary>
    string ListenAddresses(string node);

    /// <summary>The CIDR pg_hba.conf admits clients from.</summary>
    string ClientCidr { get; }

    /// <summary>What goes before the server command, e.g. <c>nsenter --net=/run/netns/NAME</c>; empty to run it where the harness runs.</summary>
    IReadOnlyList<string> LaunchPrefix(string node);
}
