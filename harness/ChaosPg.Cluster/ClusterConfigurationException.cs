namespace ChaosPg.Cluster;

/// <summary>A cluster spec or environment problem the user can fix (bad option, missing binaries, no server user).</summary>
public sealed class ClusterConfigurationException : Exception
{
    public ClusterConfigurationException()
    {
    }

    public ClusterConfigurationException(string message)
        : base(message)
    {
    }

    public ClusterConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
