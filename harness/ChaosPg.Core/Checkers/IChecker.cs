namespace ChaosPg.Core.Checkers;

/// <summary>A pure judgement of a history and the final node states. Implementations must not touch a database.</summary>
public interface IChecker
{
    /// <summary>The checker's name in results and reports ("durability", "phantoms", ...).</summary>
    string Name { get; }

    CheckerResult Check(CheckContext context);
}
