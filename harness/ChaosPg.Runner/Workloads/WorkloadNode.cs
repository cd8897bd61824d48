namespace ChaosPg.Runner.Workloads;

/// <summary>A node as the workload sees it: its name and the endpoint of its client link (<c>client-&gt;node</c>).</summary>
public sealed record WorkloadNode(string Name, string ClientHost, int ClientPort)
{
    /// <summary>The link name of this node's client traffic.</summary>
    public string Link => "client->" + Name;
}
