namespace ChaosPg.Core.Histories;

/// <summary>A history file or line that cannot be read as a ChaosPg history.</summary>
public sealed class HistoryFormatException : Exception
{
    public HistoryFormatException()
    {
    }

    public HistoryFormatException(string message)
        : base(message)
    {
    }

    public HistoryFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
