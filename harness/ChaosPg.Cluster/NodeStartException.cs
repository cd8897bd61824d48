namespace ChaosPg.Cluster;

/// <summary>A node failed to start or to become ready; the message carries the last lines of its server log.</summary>
public sealed class NodeStartException : Exception
{
    public NodeStartException()
    {
    }

    public NodeStartException(string message)
        : base(message)
    {
    }

    public NodeStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
