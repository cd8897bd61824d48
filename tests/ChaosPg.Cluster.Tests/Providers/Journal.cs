using System.Collections.Immutable;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Tests.Providers;

/// <summary>What the test doubles of the three axes were asked, in order, so a test can check start and teardown order.</summary>
internal sealed class Journal
{
    private readonly List<string> entries = [];

    public ImmutableArray<string> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public void Add(string entry)
    {
        lock (entries)
        {
            entries.Add(entry);
        }
    }
}
