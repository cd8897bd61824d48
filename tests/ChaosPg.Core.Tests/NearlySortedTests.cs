namespace ChaosPg.Core.Tests;

public sealed class NearlySortedTests
{
    private readonly struct Ascending : IComparer<long>
    {
        public int Compare(long x, long y) => x.CompareTo(y);
    }

    [Test]
    public void Keys_a_few_places_from_home_are_sorted_with_their_items()
    {
        long[] keys = [2, 1, 3, 5, 4, 6, 9, 7, 8];
        int[] items = [.. keys.Select(k => (int)k * 10)];

        var sorted = NearlySorted.TrySort(keys.AsSpan(), items.AsSpan(), default(Ascending));

        Assert.That(sorted, Is.True);
        Assert.That(keys, Is.Ordered);
        Assert.That(items, Is.EqualTo(keys.Select(k => (int)k * 10)));
    }

    [Test]
    public void Reversed_keys_give_up_and_leave_keys_and_items_a_permutation_in_step()
    {
        long[] keys = [.. Enumerable.Range(0, 1000).Select(i => 1000L - i)];
        int[] items = [.. keys.Select(k => (int)k)];

        var sorted = NearlySorted.TrySort(keys.AsSpan(), items.AsSpan(), default(Ascending));

        Assert.That(sorted, Is.False);
        Assert.That(keys.Order(), Is.EqualTo(Enumerable.Range(1, 1000).Select(i => (long)i)));
        Assert.That(items, Is.EqualTo(keys.Select(k => (int)k)));
    }
}
