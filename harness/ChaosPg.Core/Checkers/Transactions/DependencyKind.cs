namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>Why one transaction must precede another: a dependency edge of the graph, one kind per edge.</summary>
[Flags]
public enum DependencyKind : byte
{
    None = 0,

    /// <summary>Write-write: the target appended the next value after the source's in a key's version order.</summary>
    WW = 1,

    /// <summary>Write-read: the target read the source's value as the last one of a key.</summary>
    WR = 2,

    /// <summary>Read-write (anti-dependency): the target appended the value that came right after what the source read.</summary>
    RW = 4,

    /// <summary>The same client ran the source, then the target.</summary>
    Process = 8,

    /// <summary>The source completed before the target was invoked.</summary>
    Realtime = 16,
}
