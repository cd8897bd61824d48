using System.Collections.Immutable;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>
/// One command of the kernel network mode: <paramref name="Arguments"/> run inside the run-owned namespace
/// <paramref name="Namespace"/>, or in the root namespace when it is null (only for the run's own veth end).
/// <paramref name="MayFail"/> marks a removal whose target may already be gone.
/// </summary>
public sealed record KernelCommand(string? Namespace, ImmutableArray<string> Arguments, bool MayFail = false)
{
    /// <summary>The command as a shell would show it, for errors and tests.</summary>
    public override string ToString() => (Namespace is null ? string.Empty : $"[{Namespace}] ") + string.Join(' ', Arguments);
}
