using ChaosPg.Core.Checkers;
using ChaosPg.Core.Checkers.Transactions;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Core.Tests.Checkers.Transactions;

public sealed class ListAppendCheckerTests
{
    private static ListAppendAnalysis Analyze(TxnScript script, ConsistencyModel model = ConsistencyModel.Serializable) =>
        ListAppendChecker.Analyze(script.Build(), model);

    private static CheckerResult Check(TxnScript script) =>
        new ListAppendChecker().Check(new CheckContext(script.Build(), new FinalState("primary", 0, [])));

    [Test]
    public void A_serial_history_has_no_anomaly()
    {
        var s = new TxnScript();
        s.Txn("append x 1; append y 1");
        s.Txn("r x [1]; append x 2");
        s.Txn("r x [1 2]; r y [1]");

        var result = Check(s);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Valid), result.Summary);
        Assert.That(result.Counts["transactions"], Is.EqualTo(3));
        Assert.That(result.Counts["forbidden"] + result.Counts["allowed"], Is.Zero);
    }

    [Test]
    public void A_history_without_transactions_is_valid_with_nothing_to_judge()
    {
        var result = new ListAppendChecker().Check(new CheckContext(new HistoryScript().Write("a", 0, 1).Build(), new FinalState("primary", 0, [])));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Valid));
        Assert.That(result.Counts["transactions"], Is.Zero);
    }

    [Test]
    public void A_ww_cycle_is_G0()
    {
        var s = new TxnScript();
        var t1 = s.Txn("append x 1; append y 1");
        var t2 = s.Txn("append x 2; append y 2");
        s.Txn("r x [1 2]; r y [2 1]");

        var analysis = Analyze(s);

        Assert.That(analysis.Found.Keys, Is.EqualTo(new[] { "G0" }));
        var cycle = analysis.Examples.Single();
        Assert.That(cycle.Operations, Is.EquivalentTo(new[] { t1, t2 }));
        Assert.That(cycle.Edges, Is.All.EqualTo(DependencyKind.WW));
        Assert.That(cycle.Steps[0], Does.StartWith("ww: op "));
    }

    [Test]
    public void Reading_a_failed_transactions_append_is_G1a()
    {
        var s = new TxnScript();
        var failed = s.Txn("append x 1", OperationOutcome.Fail);
        var reader = s.Txn("r x [1]");

        var analysis = Analyze(s);

        Assert.That(analysis.Found.Keys, Is.EqualTo(new[] { "G1a" }));
        Assert.That(analysis.Examples[0].Operations, Is.EqualTo(new[] { reader, failed }));
        Assert.That(analysis.Examples[0].Steps[0], Does.Contain("failed"));
    }

    [Test]
    public void Reading_a_value_its_writer_appended_after_is_G1b()
    {
        var s = new TxnScript();
        s.Txn("append x 1; append x 2");
        s.Txn("r x [1]");
        s.Txn("r x [1 2]");

        var analysis = Analyze(s);

        Assert.That(analysis.Found.Keys, Does.Contain("G1b"));
        Assert.That(analysis.Examples.First(a => a.Kind == AnomalyKind.G1b).Steps[0], Does.Contain("intermediate"));
    }

    [Test]
    public void Two_transactions_that_read_each_other_are_G1c()
    {
        var s = new TxnScript();
        s.Txn("append x 1; r y [1]");
        s.Txn("append y 1; r x [1]");

        var analysis = Analyze(s);

        Assert.That(analysis.Found.Keys, Is.EqualTo(new[] { "G1c" }));
        Assert.That(analysis.Examples[0].Edges, Is.EqualTo(new[] { DependencyKind.WR, DependencyKind.WR }));
    }

    [Test]
    public void Read_skew_is_G_single_and_snapshot_isolation_forbids_it()
    {
        var s = new TxnScript("snapshot-isolation");
        s.Txn("append x 1; append y 1");
        s.Txn("r x []; r y [1]");
        s.Txn("r x [1]");

        var result = Check(s);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid), result.Summary);
        Assert.That(result.Counts["gSingle"], Is.EqualTo(1));
        var evidence = result.Evidence.Single();
        Assert.That(evidence.Details["anomaly"], Is.EqualTo("G-single"));
        Assert.That(evidence.Details["edges"].Split(' '), Is.EquivalentTo(new[] { "rw", "wr" }));
        Assert.That(evidence.Details["step01"] + evidence.Details["step02"], Does.Contain("rw: op 2").And.Contain("wr: op 2"));
    }

    [Test]
    public void Read_skew_is_reported_as_allowed_under_read_committed()
    {
        var s = new TxnScript("read-committed");
        s.Txn("append x 1; append y 1");
        s.Txn("r x []; r y [1]");
        s.Txn("r x [1]");

        var result = Check(s);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Valid), result.Summary);
        Assert.That(result.Counts["allowed"], Is.EqualTo(1));
        Assert.That(result.Summary, Does.Contain("allowed: G-single x1"));
        Assert.That(result.Evidence.Single().Details["forbidden"], Is.EqualTo("false"));
    }

    [Test]
    public void Write_skew_is_G2_item_which_snapshot_isolation_allows_and_serializable_forbids()
    {
        var s = new TxnScript();
        s.Txn("r x []; append y 1");
        s.Txn("r y []; append x 1");
        s.Txn("r x [1]; r y [1]");

        var si = Analyze(s, ConsistencyModel.SnapshotIsolation);
        var serializable = Analyze(s, ConsistencyModel.Serializable);

        Assert.That(si.Found.Keys, Is.EqualTo(new[] { "G2-item" }));
        Assert.That(si.Forbidden["G2-item"], Is.False);
        Assert.That(serializable.Forbidden["G2-item"], Is.True);
        Assert.That(si.Examples[0].Edges, Is.EqualTo(new[] { DependencyKind.RW, DependencyKind.RW }));
    }

    [Test]
    public void Non_adjacent_anti_dependencies_without_the_long_fork_shape_are_G_nonadjacent()
    {
        var s = new TxnScript();
        s.Txn("append x 1");
        s.Txn("r x [1]; r y []");
        s.Txn("append y 1; append z 1");
        s.Txn("append z 2; r x []");
        s.Txn("r y [1]; r z [1 2]");

        var analysis = Analyze(s, ConsistencyModel.SnapshotIsolation);

        Assert.That(analysis.Found.Keys, Is.EqualTo(new[] { "G-nonadjacent" }));
        Assert.That(analysis.Forbidden["G-nonadjacent"], Is.True);
        Assert.That(analysis.Examples[0].Operations, Has.Length.EqualTo(4));
    }

    [Test]
    public void Two_readers_seeing_two_writes_in_opposite_orders_is_Long_Fork()
    {
        var s = new TxnScript("snapshot-isolation");
        s.Txn("append x 1", node: "primary");
        s.Txn("append y 1", node: "primary");
        s.Txn("r x [1]; r y []", node: "replica1");
        s.Txn("r x []; r y [1]", node: "replica2");

        var result = Check(s);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Invalid));
        Assert.That(result.Counts["longFork"], Is.EqualTo(1));
        var evidence = result.Evidence.Single();
        Assert.That(evidence.Details["edges"].Split(' ').Order(), Is.EqualTo(new[] { "rw", "rw", "wr", "wr" }));
        Assert.That(evidence.What, Does.StartWith("Long Fork (forbidden by snapshot-isolation)"));
    }

    [Test]
    public void Reads_that_are_not_prefixes_of_one_order_are_incompatible()
    {
        var s = new TxnScript();
        s.Txn("append x 1");
        s.Txn("append x 2");
        s.Txn("r x [1 2]");
        s.Txn("r x [2]");

        Assert.That(Analyze(s).Found.Keys, Does.Contain("incompatible-order"));
    }

    [Test]
    public void A_value_nobody_appended_is_a_garbage_read()
    {
        var s = new TxnScript();
        s.Txn("r x [99]");

        Assert.That(Analyze(s).Found.Keys, Is.EqualTo(new[] { "garbage-read" }));
    }

    [Test]
    public void A_value_read_twice_in_one_list_is_a_duplicate()
    {
        var s = new TxnScript();
        s.Txn("append x 1");
        s.Txn("r x [1 1]");

        Assert.That(Analyze(s).Found.Keys, Does.Contain("duplicate-elements"));
    }

    [Test]
    public void A_stale_read_after_completion_is_a_realtime_cycle_only_under_strict_serializable()
    {
        var s = new TxnScript();
        s.Txn("append x 1", invokeMicros: 1_000, completeMicros: 2_000);
        s.Txn("r x []", invokeMicros: 3_000, completeMicros: 4_000);
        s.Txn("r x [1]", invokeMicros: 5_000, completeMicros: 6_000);

        var strict = Analyze(s, ConsistencyModel.StrictSerializable);
        var serializable = Analyze(s, ConsistencyModel.Serializable);

        Assert.That(strict.Found.Keys, Is.EqualTo(new[] { "G-single-realtime" }));
        Assert.That(strict.Forbidden["G-single-realtime"], Is.True);
        Assert.That(serializable.Found, Is.Empty);
    }

    [Test]
    public void A_client_that_does_not_see_its_own_earlier_append_is_a_process_cycle_under_strong_session_models()
    {
        var s = new TxnScript();
        s.Txn("append x 1", client: "c1", node: "primary");
        s.Txn("r x []", client: "c1", node: "replica1");
        s.Txn("r x [1]", client: "c2");

        var session = Analyze(s, ConsistencyModel.StrongSessionSnapshotIsolation);
        var plain = Analyze(s, ConsistencyModel.SnapshotIsolation);

        Assert.That(session.Found.Keys, Is.EqualTo(new[] { "G-single-process" }));
        Assert.That(plain.Found, Is.Empty);
    }

    [Test]
    public void An_unknown_declared_model_gives_unknown_naming_the_models()
    {
        var s = new TxnScript("linearizable-ish");
        s.Txn("append x 1");

        var result = Check(s);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Unknown));
        Assert.That(result.Summary, Does.Contain("snapshot-isolation"));
    }

    [Test]
    public void Indeterminate_appends_that_were_read_count_as_committed()
    {
        var s = new TxnScript();
        s.Txn("append x 1", OperationOutcome.Indeterminate);
        s.Txn("r x [1]");

        var result = Check(s);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Valid), result.Summary);
        Assert.That(result.Counts["edges"], Is.EqualTo(1));
    }

    [Test]
    public void Every_reported_cycle_passes_each_transaction_once()
    {
        // Two G-single cycles sharing op 3: a walk through both has two non-adjacent rw edges but is no G-nonadjacent.
        var s = new TxnScript("read-committed");
        s.Txn("append x 1; append y 1");
        s.Txn("r x []; r y [1]; append z 1");
        s.Txn("r x [1]; r z []");
        s.Txn("r z [1]");

        var analysis = Analyze(s, ConsistencyModel.ReadCommitted);

        Assert.That(analysis.Examples, Is.Not.Empty);
        Assert.That(analysis.Examples.Where(a => a.Kind.IsCycle()).Select(a => a.Operations.Distinct().Count() == a.Operations.Length), Is.All.True);
    }
}
