using ChaosPg.Core.Checkers;

namespace ChaosPg.Runner.Runs;

/// <summary>One checker's expectation against its verdict.</summary>
/// <param name="Checker">The checker's name ("durability", "replica-reads", ...).</param>
/// <param name="Expected">"valid", "invalid" or "any" (any records the verdict without judging it).</param>
/// <param name="Verdict">The verdict the checker gave, or null when it did not run.</param>
/// <param name="Met">True when the verdict is what the scenario expected.</param>
/// <param name="Reason">Why an expectation is unmet, or how it was judged when that is not obvious.</param>
public sealed record CheckExpectation(string Checker, string Expected, Verdict? Verdict, bool Met, string? Reason = null)
{
    public const string Valid = "valid";
    public const string Invalid = "invalid";
    public const string Any = "any";

    /// <summary>
    /// Judges one checker: "any" is always met; "valid" and "invalid" must match the verdict. When lost writes are
    /// allowed, durability is judged as "any" whatever the file says, since loss is then measured, not forbidden.
    /// </summary>
    public static CheckExpectation Judge(string checker, string expected, CheckerResult? result, bool lostWritesAllowed)
    {
        ArgumentNullException.ThrowIfNull(checker);
        ArgumentNullException.ThrowIfNull(expected);
        if (expected is not (Valid or Invalid or Any))
        {
            throw new ArgumentOutOfRangeException(nameof(expected), expected, "Expected valid, invalid or any.");
        }

        if (result is null)
        {
            return new CheckExpectation(checker, expected, null, false, "the checker did not run");
        }

        var actual = result.Verdict;
        if (expected == Any)
        {
            return new CheckExpectation(checker, expected, actual, true);
        }

        if (lostWritesAllowed && checker == "durability")
        {
            return new CheckExpectation(checker, expected, actual, true, "lost writes allowed: loss is measured (RPO), not judged");
        }

        var met = expected == Valid ? actual == Core.Checkers.Verdict.Valid : actual == Core.Checkers.Verdict.Invalid;
        return new CheckExpectation(
            checker,
            expected,
            actual,
            met,
            met ? null : $"expected {expected}, got {actual.ToString().ToLowerInvariant()}");
    }
}
