namespace ChaosPg.Runner.Exploration;

/// <summary>What one run of a schedule says about the explored property.</summary>
public enum TrialVerdict
{
    /// <summary>Every checker of the property was valid.</summary>
    Held,

    /// <summary>A checker of the property was invalid: a counterexample.</summary>
    Violated,

    /// <summary>The run could not complete, or a checker could not judge (unknown): neither a pass nor a counterexample.</summary>
    Inconclusive,
}
