namespace ChaosPg.Runner.Workloads;

/// <summary>
/// The keys a list-append workload is working on, shared by its clients: a few active keys, each taking a bounded
/// number of appends before it is retired for a fresh key, so lists (and every read of them) stay short as in Elle's
/// workloads. Values come from one run-wide counter, so every value is unique per key (and across keys). Thread-safe.
/// </summary>
public sealed class ListAppendKeys(int activeKeys = ListAppendKeys.DefaultActiveKeys, int appendsPerKey = ListAppendKeys.DefaultAppendsPerKey)
{
    /// <summary>How many keys are open for appends at a time: few enough that transactions collide.</summary>
    public const int DefaultActiveKeys = 6;

    /// <summary>Appends a key takes before it is retired.</summary>
    public const int DefaultAppendsPerKey = 32;

    private readonly Lock gate = new();
    private readonly int[] keys = [.. Enumerable.Range(1, activeKeys)];
    private readonly int[] appends = new int[activeKeys];
    private int nextKey = activeKeys + 1;
    private int nextValue;

    /// <summary>How many keys are active: a client picks slot 0..ActiveKeys-1.</summary>
    public int ActiveKeys => keys.Length;

    /// <summary>The key of a slot now, for a read.</summary>
    public int KeyOf(int slot)
    {
        lock (gate)
        {
            return keys[slot];
        }
    }

    /// <summary>The key of a slot and a fresh value to append to it; retires the key once it has taken its share.</summary>
    public (int Key, int Value) NextAppend(int slot)
    {
        lock (gate)
        {
            var key = keys[slot];
            var value = ++nextValue;
            if (++appends[slot] >= appendsPerKey)
            {
                keys[slot] = nextKey++;
                appends[slot] = 0;
            }

            return (key, value);
        }
    }
}
