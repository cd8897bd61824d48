namespace ChaosPg.Runner.Scenarios;

/// <summary>The verdict a scenario expects from one checker; <see cref="Any"/> records the verdict without judging it.</summary>
public enum ExpectedVerdict
{
    Valid,
    Invalid,
    Any,
}
