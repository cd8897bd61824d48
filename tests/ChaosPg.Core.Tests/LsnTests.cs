namespace ChaosPg.Core.Tests;

public sealed class LsnTests
{
    [TestCase("0/0", 0UL)]
    [TestCase("0/3000060", 0x3000060UL)]
    [TestCase("16/B374D848", 0x16B374D848UL)]
    [TestCase("FFFFFFFF/ffffffff", ulong.MaxValue)]
    public void Lsn_parses_the_server_spelling_and_prints_it_back(string text, ulong value)
    {
        var lsn = Lsn.Parse(text);

        Assert.That(lsn.Value, Is.EqualTo(value));
        Assert.That(lsn.ToString(), Is.EqualTo(text.ToUpperInvariant()));
        Assert.That(Lsn.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var fromBytes) && fromBytes == lsn, Is.True, "the UTF-8 spelling a history holds");
    }

    [Test]
    public void Lsn_reads_leading_zeros_as_the_server_allows_them() =>
        Assert.That(Lsn.Parse("000000001/00000000A").Value, Is.EqualTo(0x1_0000000AUL));

    [TestCase("")]
    [TestCase("3000060")]
    [TestCase("0/")]
    [TestCase("/1")]
    [TestCase("G/1")]
    [TestCase("100000000/0")]
    [TestCase("0/-1")]
    [TestCase(" 0/1")]
    [TestCase("0/1/2")]
    public void Lsn_rejects_what_is_not_an_lsn(string text)
    {
        Assert.That(Lsn.TryParse(text, out _), Is.False);
        Assert.That(Lsn.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _), Is.False);
    }

    [Test]
    public void Lsn_orders_by_position_not_by_text() =>
        Assert.That(Lsn.Parse("1/0") > Lsn.Parse("0/FFFFFFFF"), Is.True);
}
