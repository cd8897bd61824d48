using ChaosPg.Core.Schedule;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace ChaosPg.Core.Tests.Schedule;

public class DurationTextTests
{
    [TestCase("500ms", 500)]
    [TestCase("0s", 0)]
    [TestCase("5s", 5_000)]
    [TestCase("2m", 120_000)]
    public void Whole_numbers_with_a_unit_parse(string text, int milliseconds)
    {
        Assert.That(DurationText.TryParse(text, out var value), Is.True);
        Assert.That(value, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [TestCase("")]
    [TestCase("5")]
    [TestCase("1.5s")]
    [TestCase("5 s")]
    [TestCase("-5s")]
    [TestCase("1m30s")]
    [TestCase("5h")]
    [TestCase("ms")]
    [TestCase("99999999999s")]
    public void Anything_else_is_refused(string text) =>
        Assert.That(DurationText.TryParse(text, out _), Is.False);

    [TestCase(1_500, "1500ms")]
    [TestCase(3_000, "3s")]
    [TestCase(180_000, "3m")]
    [TestCase(0, "0s")]
    public void Formatting_picks_the_largest_exact_unit(int milliseconds, string text) =>
        Assert.That(DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(text));

    [FsCheck.NUnit.Property]
    public Property Formatting_then_parsing_gives_the_same_duration() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), ms =>
            DurationText.TryParse(DurationText.Format(TimeSpan.FromMilliseconds(ms)), out var back)
            && back == TimeSpan.FromMilliseconds(ms));
}
