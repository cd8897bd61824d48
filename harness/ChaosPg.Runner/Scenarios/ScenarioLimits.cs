namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// Sizes a scenario may not exceed. Everything in a scenario is copied into run.json and the reports, and a parser fed
/// a hostile file must fail in words, not by running out of stack or memory. Documented in scenarios/README.md.
/// </summary>
public static class ScenarioLimits
{
    /// <summary>Characters in a scenario file (256 Ki).</summary>
    public const int MaxFileCharacters = 256 * 1024;

    /// <summary>Levels of nested mappings and sequences.</summary>
    public const int MaxNesting = 16;

    /// <summary>Characters in the name (it names run folders).</summary>
    public const int MaxNameLength = 64;

    /// <summary>Characters in the description.</summary>
    public const int MaxDescriptionLength = 2000;

    /// <summary>Tags of one scenario.</summary>
    public const int MaxTags = 16;

    /// <summary>Characters in one tag.</summary>
    public const int MaxTagLength = 32;

    /// <summary>Entries in cluster.settings.</summary>
    public const int MaxSettings = 64;

    /// <summary>Characters in a setting's name or value.</summary>
    public const int MaxSettingLength = 256;

    /// <summary>Steps in the schedule.</summary>
    public const int MaxSteps = 200;
}
