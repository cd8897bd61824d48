namespace ChaosPg.Runner.Scenarios;

/// <summary>Whether acknowledged writes may be missing after the run (measured as RPO) or must all survive.</summary>
public enum LostWritesPolicy
{
    Forbidden,
    Allowed,
}
