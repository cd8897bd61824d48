using System.Collections.Immutable;
using System.Xml.Linq;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Checkers.Transactions;
using ChaosPg.Core.Histories;
using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Runs;

namespace ChaosPg.Runner.Tests.Reports;

public sealed class CycleReportTests
{
    [Test]
    public void A_cycle_is_drawn_as_well_formed_svg_with_one_box_per_transaction_and_one_labelled_arrow_per_edge()
    {
        var svg = CycleSvg.Render(["10", "11", "12", "13"], ["wr", "rw", "wr", "rw"]);

        var root = XElement.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.That(root.Descendants(ns + "rect").Count(), Is.EqualTo(4));
        Assert.That(root.Descendants(ns + "path").Count(p => p.Attribute("marker-end") is not null), Is.EqualTo(4));
        Assert.That(root.Descendants(ns + "text").Select(t => t.Value), Is.SupersetOf(new[] { "op 10", "op 13", "rw", "wr" }));
        Assert.That(root.Descendants(ns + "path").Where(p => p.Attribute("marker-end")?.Value == "url(#cycle-arrow-rw)").Select(p => p.Attribute("stroke")!.Value), Has.All.EqualTo("#c0392b"), "anti-dependencies in red");
    }

    [Test]
    public async Task The_report_draws_each_anomaly_cycle_the_transactions_checker_found()
    {
        var fixture = new FixtureRun();
        try
        {
            var run = await new RunFolder(fixture.Path).LoadAsync();
            var lines = new List<HistoryLine> { new RunStarted(0, "t", 1, DateTimeOffset.UnixEpoch, "primary", "snapshot-isolation") };
            void Txn(long id, ImmutableArray<MicroOp> done, string node)
            {
                lines.Add(new OperationInvoked(id * 1000, id, "c" + id, OperationKind.Txn, node, "client->" + node, Txn: [.. done.Select(m => m.Kind == MicroOpKind.Read ? MicroOp.Read(m.Key) : m)]));
                lines.Add(new OperationCompleted((id * 1000) + 500, id, OperationOutcome.Ok, Txn: done));
            }

            Txn(1, [MicroOp.Append(1, 1)], "primary");
            Txn(2, [MicroOp.Append(2, 1)], "primary");
            Txn(3, [MicroOp.Read(1, [1]), MicroOp.Read(2, [])], "replica1");
            Txn(4, [MicroOp.Read(1, []), MicroOp.Read(2, [1])], "primary");
            var builder = new HistoryBuilder();
            lines.ForEach(builder.Add);
            var history = builder.Build();
            var result = new ListAppendChecker().Check(new CheckContext(history, run.FinalState!));
            var suite = new SuiteResult(result.Verdict, [result]);

            var html = RunReportBuilder.Build(run with { Results = run.Results! with { Suite = suite } });

            Assert.That(result.Counts["longFork"], Is.EqualTo(1));
            Assert.That(html, Does.Contain("<figure class=\"cycle\">").And.Contain("Long Fork #1").And.Contain("aria-label=\"dependency cycle\""));
            Assert.That(html, Does.Contain("rw: op "), "each edge's reason under the graph");
        }
        finally
        {
            fixture.Delete();
        }
    }
}
