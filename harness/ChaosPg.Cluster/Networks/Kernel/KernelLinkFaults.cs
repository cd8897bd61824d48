using System.Collections.Immutable;
using ChaosPg.Cluster.Links;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>
/// Link faults in the kernel: iptables and tc rules in the run's namespaces (<see cref="KernelRules"/>), no relay.
/// A partition drops packets (no RST: connections stay half-open until a timeout or keepalive notices), one way or
/// both. Latency needs netem; without it (<see cref="KernelProbe.NetemAvailable"/>), validation refuses the scenario.
/// The commands run through a runner: <see cref="KernelShell"/> in the run's namespaces, or the Docker backend's in its
/// containers' namespaces, which go with a container when it stops; so every applied fault's commands are kept, and
/// <see cref="ReapplyAsync"/> puts a node's back once its container runs again.
/// </summary>
#pragma warning disable CA1001 // See gate.
public sealed class KernelLinkFaults : ILinkFaults
#pragma warning restore CA1001
{
    private readonly KernelLinkRouter router;
    private readonly Func<IEnumerable<KernelCommand>, CancellationToken, Task> run;
    private readonly Dictionary<LinkFault, (LinkDirection Direction, double Probability, ImmutableArray<KernelCommand> Commands)> applied = [];
#pragma warning disable CA2213 // A SemaphoreSlim without a wait handle holds nothing to release; the faults live as long as their cluster.
    private readonly SemaphoreSlim gate = new(1, 1);
#pragma warning restore CA2213

    /// <param name="router">The links and their topology.</param>
    /// <param name="run">Runs commands; null: <see cref="KernelShell.RunAsync"/>, in the run's named namespaces.</param>
    public KernelLinkFaults(KernelLinkRouter router, Func<IEnumerable<KernelCommand>, CancellationToken, Task>? run = null)
    {
        ArgumentNullException.ThrowIfNull(router);
        this.router = router;
        this.run = run ?? KernelShell.RunAsync;
    }

    private KernelTopology Topology => router.Topology;

    /// <inheritdoc/>
    public ImmutableArray<string> LinksOf(string node)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        return [.. router.Links.Where(link => link.StartsWith(node + "->", StringComparison.Ordinal) || link.EndsWith("->" + node, StringComparison.Ordinal))];
    }

    /// <inheritdoc/>
    public string Mechanism(LinkFaultKind kind) => KernelRules.Mechanism(kind);

    /// <inheritdoc/>
    public Task<LinkFault> PartitionAsync(string link, LinkDirection direction, CancellationToken cancellationToken = default) =>
        FilterAsync(link, LinkFaultKind.Partition, direction, 0, cancellationToken);

    /// <inheritdoc/>
    public Task<LinkFault> BlackholeAsync(string link, CancellationToken cancellationToken = default) =>
        FilterAsync(link, LinkFaultKind.Blackhole, LinkDirection.Both, 0, cancellationToken);

    /// <inheritdoc/>
    public Task<LinkFault> ResetPeerAsync(string link, CancellationToken cancellationToken = default) =>
        FilterAsync(link, LinkFaultKind.ResetPeer, LinkDirection.Both, 0, cancellationToken);

    /// <inheritdoc/>
    public Task<LinkFault> LossAsync(string link, double probability, LinkDirection direction, CancellationToken cancellationToken = default) =>
        FilterAsync(link, LinkFaultKind.Loss, direction, probability, cancellationToken);

    /// <inheritdoc/>
    public Task<LinkFault> BandwidthAsync(string link, int kilobytesPerSecond, LinkDirection direction, CancellationToken cancellationToken = default) =>
        ApplyAsync(new LinkFault(link, LinkFaultKind.Bandwidth), direction, 0, KernelRules.Shape(Topology, link, LinkFaultKind.Bandwidth, direction, kilobytesPerSecond: kilobytesPerSecond), cancellationToken);

    /// <inheritdoc/>
    public Task<LinkFault> LatencyAsync(string link, TimeSpan latency, TimeSpan jitter, LinkDirection direction, CancellationToken cancellationToken = default) =>
        KernelProbe.NetemAvailable
            ? ApplyAsync(new LinkFault(link, LinkFaultKind.Latency), direction, 0, KernelRules.Shape(Topology, link, LinkFaultKind.Latency, direction, latency: latency, jitter: jitter), cancellationToken)
            : throw new NotSupportedException("latency in network: kernel needs tc netem, which this kernel lacks (no sch_netem); use network: proxy for latency");

    /// <inheritdoc/>
    public async Task RemoveAsync(LinkFault fault, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fault);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Both halves are tried when the fault's apply is unknown (never applied, or applied by a process that
            // died): each removal may find nothing.
            var (direction, probability) = applied.TryGetValue(fault, out var known) ? (known.Direction, known.Probability) : (LinkDirection.Both, 0.5);
            var commands = fault.Kind is LinkFaultKind.Bandwidth or LinkFaultKind.Latency
                ? KernelRules.RemoveShape(Topology, fault.Link, fault.Kind, direction)
                : KernelRules.RemoveFilter(Topology, fault.Link, fault.Kind, direction, probability);
            await run(commands, cancellationToken).ConfigureAwait(false);
            applied.Remove(fault);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task HealAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await run(KernelRules.Heal(Topology), cancellationToken).ConfigureAwait(false);
            applied.Clear();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Runs again the commands of every applied fault that live in <paramref name="node"/>'s namespace: for a node
    /// whose namespace was made anew (a container started again), so a fault outlives a restart as it does locally.
    /// </summary>
    public async Task ReapplyAsync(string node, CancellationToken cancellationToken = default)
    {
        var ns = Topology.NamespaceOf(node);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await run(applied.Values.SelectMany(a => a.Commands).Where(c => c.Namespace == ns), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private Task<LinkFault> FilterAsync(string link, LinkFaultKind kind, LinkDirection direction, double probability, CancellationToken cancellationToken) =>
        ApplyAsync(new LinkFault(link, kind), direction, probability, KernelRules.Filter(Topology, link, kind, direction, probability), cancellationToken);

    private async Task<LinkFault> ApplyAsync(LinkFault fault, LinkDirection direction, double probability, ImmutableArray<KernelCommand> commands, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Recorded first, so a removal after an apply cut short still removes what got in.
            applied[fault] = (direction, probability, commands);
            await run(commands, cancellationToken).ConfigureAwait(false);
            return fault;
        }
        finally
        {
            gate.Release();
        }
    }
}
