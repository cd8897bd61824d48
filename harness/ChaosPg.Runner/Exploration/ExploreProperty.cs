namespace ChaosPg.Runner.Exploration;

/// <summary>What an explore session checks on every generated schedule.</summary>
public enum ExploreProperty
{
    /// <summary>Promotion preserves acknowledged writes: durability, phantoms and split-brain valid.</summary>
    Durability,

    /// <summary>After the final heal every replica converges: convergence valid (every node is back by the end).</summary>
    Convergence,
}
