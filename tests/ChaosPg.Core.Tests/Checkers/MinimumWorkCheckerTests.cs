using System.Globalization;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;

namespace ChaosPg.Core.Tests.Checkers;

public sealed class MinimumWorkCheckerTests
{
    [Test]
    public void Four_acknowledged_writes_none_by_the_killed_primary_make_durability_convergence_and_replica_reads_unknown_not_valid()
    {
        // The vacuous pass that was seen: bring-up ate the window, the kill came first, 4 acks in all on the new primary.
        var script = new HistoryScript()
            .Event(EventKind.Kill, "primary", 100, 100)
            .Event(EventKind.Promote, "replica1", 200, 300);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add($"w{i}");
            script.Write($"w{i}", 400 + (i * 10), 405 + (i * 10), node: "replica1");
        }

        var result = CheckerSuite.Default.Run(script.Build(), HistoryScript.State(
            "replica1",
            HistoryScript.Node("replica1", [.. ids]) with { Role = ChaosPg.Core.Snapshots.NodeRole.Primary },
            HistoryScript.Node("primary", [.. ids]) with { Role = ChaosPg.Core.Snapshots.NodeRole.Replica }));

        foreach (var name in new[] { "durability", "convergence", "replica-reads" })
        {
            var checker = result.Find(name)!;
            Assert.That(checker.Verdict, Is.EqualTo(Verdict.Unknown), () => $"{name}: {checker.Summary}");
            Assert.That(checker.Summary, Does.StartWith($"too little work to judge {name}: 0 writes acknowledged by primary before the first fault (kill of primary at 0.100s), at least 20 needed"));
            Assert.That(checker.Evidence[0].Id, Is.EqualTo("too-little-work"));
            Assert.That((checker.Counts["acknowledgedBeforeFirstFault"], checker.Counts["requiredAcknowledgedBeforeFirstFault"]), Is.EqualTo((0L, 20L)));
        }

        Assert.That(result.Find("replica-reads")!.Summary, Does.Contain("0 ok reads, at least 20 needed"));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Unknown));
    }

    [TestCase(19, Verdict.Unknown)]
    [TestCase(20, Verdict.Valid)]
    public void Durability_is_valid_from_20_writes_acknowledged_by_the_primary_before_the_first_fault(int before, Verdict expected)
    {
        var (script, ids) = WritesThenKill(before);

        var result = Durability().Check(new CheckContext(script.Build(), HistoryScript.State("primary", HistoryScript.Node("primary", [.. ids]))));

        Assert.That(result.Verdict, Is.EqualTo(expected), result.Summary);
        Assert.That(result.Counts["acknowledgedBeforeFirstFault"], Is.EqualTo(before));
        Assert.That(result.Figures["firstFaultAtMicros"], Is.EqualTo(1_000_000));
    }

    [Test]
    public void Writes_acknowledged_after_the_first_fault_do_not_count_towards_the_threshold()
    {
        var (script, ids) = WritesThenKill(5);
        for (var i = 0; i < 30; i++)
        {
            var id = "late" + i.ToString(CultureInfo.InvariantCulture);
            ids.Add(id);
            script.Write(id, 2000 + i, 2001 + i, node: "replica1");
        }

        var result = Durability().Check(new CheckContext(script.Build(), HistoryScript.State("replica1", HistoryScript.Node("replica1", [.. ids]))));

        Assert.That((result.Verdict, result.Counts["acknowledgedBeforeFirstFault"]), Is.EqualTo((Verdict.Unknown, 5L)));
    }

    [Test]
    public void A_lost_write_stays_invalid_however_little_was_written()
    {
        var (script, ids) = WritesThenKill(3);

        var result = Durability().Check(new CheckContext(script.Build(), HistoryScript.State("primary", HistoryScript.Node("primary", [.. ids.Skip(1)]))));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Evidence.Select(e => e.Id), Does.Not.Contain("too-little-work"));
    }

    [Test]
    public void Without_any_fault_the_whole_run_counts()
    {
        var script = new HistoryScript();
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            var id = "w" + i.ToString(CultureInfo.InvariantCulture);
            ids.Add(id);
            script.Write(id, i * 10, (i * 10) + 5);
        }

        var result = Durability().Check(new CheckContext(script.Build(), HistoryScript.State("primary", HistoryScript.Node("primary", [.. ids]))));

        Assert.That((result.Verdict, result.Figures.ContainsKey("firstFaultAtMicros")), Is.EqualTo((Verdict.Valid, false)));
    }

    private static MinimumWorkChecker Durability() => new(new DurabilityChecker(), CheckerSuite.MinAcknowledgedBeforeFault);

    private static (HistoryScript Script, List<string> Ids) WritesThenKill(int before)
    {
        var script = new HistoryScript();
        var ids = new List<string>();
        for (var i = 0; i < before; i++)
        {
            var id = "w" + i.ToString(CultureInfo.InvariantCulture);
            ids.Add(id);
            script.Write(id, i * 10, (i * 10) + 5);
        }

        script.Event(EventKind.Kill, "primary", 1000, 1000);
        return (script, ids);
    }
}
