namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>A repmgr command the harness ran failed; the message carries repmgr's own ERROR/DETAIL/HINT lines.</summary>
public sealed class RepmgrCommandException : Exception
{
    public RepmgrCommandException()
    {
    }

    public RepmgrCommandException(string message)
        : base(message)
    {
    }

    public RepmgrCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
