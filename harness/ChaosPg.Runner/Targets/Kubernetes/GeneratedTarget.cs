using System.Collections.Immutable;
using ChaosPg.Cluster.Target;

namespace ChaosPg.Runner.Targets.Kubernetes;

/// <summary>A target generated from a cluster's objects, and the comment lines that go above it (how to use it).</summary>
public sealed record GeneratedTarget(TargetSpec Target, ImmutableArray<string> Header)
{
    /// <summary>The target file's text, which <see cref="TargetParser"/> reads back.</summary>
    public string Text => TargetWriter.Write(Target, Header);
}
