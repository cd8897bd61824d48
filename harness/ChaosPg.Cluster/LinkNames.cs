namespace ChaosPg.Cluster;

/// <summary>Link naming: <c>client-&gt;node</c> for workload traffic, <c>downstream-&gt;upstream</c> for a WAL stream.</summary>
public static class LinkNames
{
    public static string Client(string node) => $"client->{node}";

    public static string WalStream(string downstream, string upstream) => $"{downstream}->{upstream}";
}
