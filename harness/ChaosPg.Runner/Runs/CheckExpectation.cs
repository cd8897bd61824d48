using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Schedule;

namespace ChaosPg.Runner.Runs;

/// <summary>One checker's expectation against its verdict.</summary>
/// <param name="Checker">The checker's name ("durability", "replica-reads", ...), or <see cref="Rto"/> for the RTO bound.</param>
/// <param name="Expected">"valid", "invalid" or "any" (any records the verdict without judging it); for the RTO bound, the bound ("under 30s").</param>
/// <param name="Verdict">The verdict the checker gave, or null when it did not run.</param>
/// <param name="Met">True when the verdict is what the scenario expected.</param>
/// <param name="Reason">Why an expectation is unmet, or how it was judged when that is not obvious.</param>
public sealed record CheckExpectation(string Checker, string Expected, Verdict? Verdict, bool Met, string? Reason = null)
{
    public const string Valid = "valid";
    public const string Invalid = "invalid";
    public const string Any = "any";

    /// <summary>The name of the expectation that bounds the RTO (<c>expect.rto</c>), judged on the availability checker's figures.</summary>
    public const string Rto = "rto";

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

    /// <summary>
    /// Judges the scenario's RTO bound on the availability checker's result: met (valid) when the RTO it measured is
    /// under <paramref name="bound"/>, unmet (invalid) when not, with the window and the faults before it; unmet and
    /// unknown when there is no RTO to judge (no failover and no fault on the primary, or no recovery).
    /// </summary>
    public static CheckExpectation JudgeRto(TimeSpan bound, CheckerResult? availability)
    {
        var expected = $"under {DurationText.Format(bound)}";
        if (availability is null)
        {
            return new CheckExpectation(Rto, expected, null, false, "the availability checker did not run: no RTO to judge");
        }

        if (!availability.Figures.TryGetValue("rtoMs", out var rtoMs))
        {
            return new CheckExpectation(Rto, expected, Core.Checkers.Verdict.Unknown, false, $"no RTO measured, so the bound is unknown, not met: {availability.Summary}");
        }

        var window = availability.Evidence.FirstOrDefault(e => e.Id == AvailabilityChecker.RtoWindowEvidence);
        var details = window?.Details ?? ImmutableSortedDictionary<string, string>.Empty;
        var faults = details.GetValueOrDefault("faultsBefore", "not recorded");
        var failover = details.GetValueOrDefault("failover", "not recorded");
        var measured = string.Create(
            CultureInfo.InvariantCulture,
            $"RTO {rtoMs / 1000:0.###} s ({window?.What ?? "window not recorded"}; failover: {failover}; faults before it: {faults})");
        return rtoMs < bound.TotalMilliseconds
            ? new CheckExpectation(Rto, expected, Core.Checkers.Verdict.Valid, true, measured)
            : new CheckExpectation(Rto, expected, Core.Checkers.Verdict.Invalid, false, $"{measured} is not {expected}");
    }
}
