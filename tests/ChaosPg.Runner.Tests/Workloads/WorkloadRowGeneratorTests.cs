using ChaosPg.Runner.Workloads;

namespace ChaosPg.Runner.Tests.Workloads;

public class WorkloadRowGeneratorTests
{
    [TestCase("orders")]
    [TestCase("bank")]
    public void The_same_seed_generates_the_same_rows_for_each_client(string kind)
    {
        var schema = WorkloadSchema.For(kind);
        var first = Generate(new WorkloadRowGenerator(schema, 42, 3), 50);

        // Another client consuming its generator in between must not change client 3's rows.
        _ = Generate(new WorkloadRowGenerator(schema, 42, 1), 10);
        var second = Generate(new WorkloadRowGenerator(schema, 42, 3), 50);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first[0].Values, Has.Count.EqualTo(schema.DomainColumns.Length));
    }

    [Test]
    public void Other_seeds_and_other_clients_generate_other_rows_and_unique_write_ids()
    {
        var schema = WorkloadSchema.Orders;
        var a = Generate(new WorkloadRowGenerator(schema, 42, 0), 20);
        var b = Generate(new WorkloadRowGenerator(schema, 43, 0), 20);
        var c = Generate(new WorkloadRowGenerator(schema, 42, 1), 20);

        Assert.That(a.Select(r => r.Values), Is.Not.EqualTo(b.Select(r => r.Values)));
        Assert.That(a.Select(r => r.Values), Is.Not.EqualTo(c.Select(r => r.Values)));
        Assert.That(a.Concat(b).Concat(c).Select(r => r.WriteId), Is.Unique);
        Assert.That(a[0].WriteId, Is.EqualTo("2a-0-1"));
    }

    [Test]
    public void An_unknown_kind_is_rejected()
    {
        Assert.That(() => WorkloadSchema.For("ledger"), Throws.ArgumentException.With.Message.Contains("bank, orders or list-append"));
    }

    // Rows compare by value: ImmutableArray equality is by reference, so compare the values as lists.
    private static List<(string WriteId, List<object> Values)> Generate(WorkloadRowGenerator generator, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => generator.Next()).Select(r => (r.WriteId, r.Values.ToList()))];
}
