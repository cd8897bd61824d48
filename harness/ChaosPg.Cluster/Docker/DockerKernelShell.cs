using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Networks.Kernel;

namespace ChaosPg.Cluster.Docker;

/// <summary>
/// Runs the kernel network mode's commands (<see cref="KernelRules"/>) inside the network namespaces of a run's
/// containers, from the host: <c>nsenter -t &lt;container pid&gt; -n iptables ...</c>, with the host's own iptables
/// and tc. So the image needs neither (the official postgres image has no iptables), and the containers get no
/// CAP_NET_ADMIN: the server in them cannot change the rules it is tested under. Each command names a node's
/// namespace; one that names anything else (the root namespace, a bridge) is refused, and so is a container whose
/// namespace turns out to be this process's own, so no rule can land in the host's firewall. A stopped container has
/// no namespace, and its rules went with it: its commands are skipped, and put back when it starts again
/// (<see cref="KernelLinkFaults.ReapplyAsync"/>).
/// </summary>
internal sealed class DockerKernelShell(KernelTopology topology, Func<string, CancellationToken, Task<int?>> pidOf)
{
    /// <summary>Runs <paramref name="commands"/> in order; the first one that fails (and may not) throws with its stderr.</summary>
    public async Task RunAsync(IEnumerable<KernelCommand> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var targets = new Dictionary<string, Target?>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            var node = NodeOf(topology, command);
            if (!targets.TryGetValue(node, out var target))
            {
                target = await TargetAsync(node, cancellationToken).ConfigureAwait(false);
                targets[node] = target;
            }

            if (target is null)
            {
                continue;
            }

            var arguments = await ArgumentsAsync(node, target, command, cancellationToken).ConfigureAwait(false);
            if (arguments.IsDefault)
            {
                continue;
            }

            var result = await ProcessRunner.RunAsync("nsenter", Enter(target.Pid, arguments), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0 && !command.MayFail)
            {
                throw new InvalidOperationException($"kernel network command failed in {node}'s container (exit {result.ExitCode}): {command}: {result.StandardError.Trim()}");
            }
        }
    }

    /// <summary>The node whose namespace <paramref name="command"/> names; anything else is refused.</summary>
    internal static string NodeOf(KernelTopology topology, KernelCommand command)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(command);
        return topology.Nodes.FirstOrDefault(n => topology.NamespaceOf(n) == command.Namespace)
            ?? throw new InvalidOperationException($"refusing a kernel network command outside the run's containers: {command}");
    }

    /// <summary>
    /// <paramref name="arguments"/> with the node interface (<see cref="KernelTopology.NodeInterface"/>) after
    /// <c>dev</c> replaced by <paramref name="device"/>: Docker names a container's interfaces in the order it joins
    /// networks, so the run's network is not always eth0 (after an isolate and reconnect, it is not).
    /// </summary>
    internal static ImmutableArray<string> WithDevice(ImmutableArray<string> arguments, string device)
    {
        var builder = arguments.ToBuilder();
        for (var i = 1; i < builder.Count; i++)
        {
            if (builder[i - 1] == "dev" && builder[i] == KernelTopology.NodeInterface)
            {
                builder[i] = device;
            }
        }

        return builder.ToImmutable();
    }

    private static string[] Enter(int pid, IEnumerable<string> arguments) =>
        ["-t", pid.ToString(CultureInfo.InvariantCulture), "-n", "--", .. arguments];

    private async Task<Target?> TargetAsync(string node, CancellationToken cancellationToken)
    {
        if (await pidOf(node, cancellationToken).ConfigureAwait(false) is not { } pid)
        {
            return null;
        }

        // The pid is the daemon's word; its namespace is checked here, so a wrong one never reaches the host's rules.
        var own = new FileInfo("/proc/self/ns/net").LinkTarget;
        var theirs = new FileInfo($"/proc/{pid}/ns/net").LinkTarget;
        if (theirs is null || theirs == own)
        {
            throw new InvalidOperationException(
                $"refusing to apply kernel rules for {node}: its container's process {pid} is {(theirs is null ? "not visible from here (is the Docker daemon on another host?)" : "in this process's own network namespace")}");
        }

        return new Target(pid);
    }

    // The command's arguments for this container, or default to skip a removal that has nothing to remove.
    private async Task<ImmutableArray<string>> ArgumentsAsync(string node, Target target, KernelCommand command, CancellationToken cancellationToken)
    {
        if (!command.Arguments.Contains(KernelTopology.NodeInterface))
        {
            return command.Arguments;
        }

        if (target.Device is null)
        {
            // `ip -o addr show to ADDRESS` prints "N: DEVICE inet ADDRESS/24 ..." for the interface that holds it.
            var peer = topology.PeerAddress(node);
            var shown = await ProcessRunner.RunAsync("nsenter", Enter(target.Pid, ["ip", "-o", "-4", "addr", "show", "to", peer + "/32"]), cancellationToken: cancellationToken).ConfigureAwait(false);
            var fields = shown.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (shown.ExitCode != 0 || fields.Length < 2)
            {
                // An isolated node has no interface on the run's network: nothing of it to shape, nor to unshape.
                return command.MayFail
                    ? default
                    : throw new InvalidOperationException($"{node}'s container has no interface with its address {peer} on the run's network (is it isolated?)");
            }

            target.Device = fields[1];
        }

        return WithDevice(command.Arguments, target.Device);
    }

    private sealed class Target(int pid)
    {
        public int Pid { get; } = pid;

        public string? Device { get; set; }
    }
}
