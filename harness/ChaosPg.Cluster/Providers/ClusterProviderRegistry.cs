using System.Collections.Immutable;
using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Managers.None;
using ChaosPg.Cluster.Managers.Patroni;
using ChaosPg.Cluster.Managers.Repmgr;
using ChaosPg.Cluster.Networks.Kernel;
using ChaosPg.Cluster.Networks.Proxy;
using ChaosPg.Cluster.Target;

namespace ChaosPg.Cluster.Providers;

/// <summary>
/// Which implementation each name of each axis maps to. Adding a manager (or a backend, or a network mode) is a
/// folder with its implementation and one line in <see cref="Default"/>; a known name without a registration is
/// "not available yet in this version", an honest error rather than an unknown one.
/// </summary>
public sealed class ClusterProviderRegistry
{
    private ClusterProviderRegistry(
        ImmutableDictionary<string, IClusterBackend> backends,
        ImmutableDictionary<string, INetworkMode> networks,
        ImmutableDictionary<string, IClusterManager> managers)
    {
        Backends = backends;
        Networks = networks;
        Managers = managers;
    }

    /// <summary>An empty registry, to compose from (a test registers doubles on it).</summary>
    public static ClusterProviderRegistry Empty { get; } = new(
        ImmutableDictionary.Create<string, IClusterBackend>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, INetworkMode>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, IClusterManager>(StringComparer.Ordinal));

    /// <summary>What this version of ChaosPg has built.</summary>
    public static ClusterProviderRegistry Default { get; } = Empty
        .WithBackend(new LocalBackend())
        .WithBackend(new DockerBackend())
        .WithBackend(new TargetBackend())
        .WithNetwork(new ProxyNetwork())
        .WithNetwork(new KernelNetwork())
        .WithManager(new NoManager())
        .WithManager(new PatroniManager())
        .WithManager(new RepmgrManager());

    public ImmutableDictionary<string, IClusterBackend> Backends { get; }

    public ImmutableDictionary<string, INetworkMode> Networks { get; }

    public ImmutableDictionary<string, IClusterManager> Managers { get; }

    public ClusterProviderRegistry WithBackend(IClusterBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return new(Backends.SetItem(backend.Name, backend), Networks, Managers);
    }

    public ClusterProviderRegistry WithNetwork(INetworkMode network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new(Backends, Networks.SetItem(network.Name, network), Managers);
    }

    public ClusterProviderRegistry WithManager(IClusterManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return new(Backends, Networks, Managers.SetItem(manager.Name, manager));
    }

    /// <summary>The registered names of <paramref name="axis"/>, in the order <see cref="ClusterAxisNames.Known"/> lists them (others after, sorted).</summary>
    public ImmutableArray<string> Available(ClusterAxis axis)
    {
        var registered = Registered(axis);
        var known = ClusterAxisNames.Known(axis);
        return [.. known.Where(registered.Contains), .. registered.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Why <paramref name="name"/> cannot be used for <paramref name="axis"/> (one line), or null when it is registered.</summary>
    public string? Problem(ClusterAxis axis, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Registered(axis).Contains(name))
        {
            return null;
        }

        var word = ClusterAxisNames.Word(axis);
        var available = string.Join(", ", Available(axis));
        var planned = ClusterAxisNames.Known(axis).Where(n => !Registered(axis).Contains(n)).ToList();
        return planned.Contains(name)
            ? $"{word} {name} is not available yet in this version; available: {available}"
            : $"{word} '{name}' is unknown; available: {available}" + (planned.Count == 0 ? string.Empty : $" ({string.Join(", ", planned)}: not available yet)");
    }

    /// <summary>The backend named <paramref name="name"/>.</summary>
    /// <exception cref="ClusterConfigurationException">Unknown or not available yet.</exception>
    public IClusterBackend Backend(string name) => Find(Backends, ClusterAxis.Backend, name);

    /// <summary>The network mode named <paramref name="name"/>.</summary>
    /// <exception cref="ClusterConfigurationException">Unknown or not available yet.</exception>
    public INetworkMode Network(string name) => Find(Networks, ClusterAxis.Network, name);

    /// <summary>The manager named <paramref name="name"/>.</summary>
    /// <exception cref="ClusterConfigurationException">Unknown or not available yet.</exception>
    public IClusterManager Manager(string name) => Find(Managers, ClusterAxis.Manager, name);

    private T Find<T>(ImmutableDictionary<string, T> parts, ClusterAxis axis, string name) =>
        parts.TryGetValue(name, out var part) ? part : throw new ClusterConfigurationException(Problem(axis, name)!);

    private IEnumerable<string> Registered(ClusterAxis axis) => axis switch
    {
        ClusterAxis.Backend => Backends.Keys,
        ClusterAxis.Network => Networks.Keys,
        ClusterAxis.Manager => Managers.Keys,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "not an axis"),
    };
}
