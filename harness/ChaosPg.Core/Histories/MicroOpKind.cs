namespace ChaosPg.Core.Histories;

/// <summary>What one micro-operation of a list-append transaction does: append a value to a key's list, or read the list.</summary>
public enum MicroOpKind
{
    Append,
    Read,
}
