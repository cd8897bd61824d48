namespace ChaosPg.Runner.Workloads;

/// <summary>A list-append transaction failed; <see cref="AtCommit"/> says whether COMMIT had been sent.</summary>
public sealed class ListAppendFailedException : Exception
{
    public ListAppendFailedException(bool atCommit, Exception inner)
        : base(inner?.Message, inner)
    {
        AtCommit = atCommit;
    }

    public ListAppendFailedException()
    {
    }

    public ListAppendFailedException(string message)
        : base(message)
    {
    }

    public ListAppendFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when the failure came from COMMIT, so the transaction may have committed.</summary>
    public bool AtCommit { get; }
}
