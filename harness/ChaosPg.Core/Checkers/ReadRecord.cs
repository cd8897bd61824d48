namespace ChaosPg.Core.Checkers;

/// <summary>An ok read as the replica-read checker needs it.</summary>
/// <param name="SeenSeq">The max seq the read saw, long.MinValue when the table was empty.</param>
/// <param name="Session">The read session (client and node) id; <see cref="HistoryIndex.SessionNodes"/> gives its node.</param>
/// <param name="Operation">The read's position in History.Operations, for evidence.</param>
internal readonly record struct ReadRecord(long InvokeMicros, long SeenSeq, int Session, int Operation);
