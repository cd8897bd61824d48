namespace ChaosPg.Core.Checkers;

/// <summary>
/// Sorts keys with their items in linear time when the keys are nearly in order, as the ack times or seqs of short
/// operations listed by invoke are (each a few places from its sorted position); otherwise falls back to Array.Sort.
/// Ties may come out in any order.
/// </summary>
internal static class NearlySorted
{
    // Insertion sort moves each key once per inversion; past this many moves per key the input is not nearly sorted.
    private const int MovesPerKey = 8;

    public static void Sort(long[] keys, int[] items)
    {
        var budget = (long)MovesPerKey * keys.Length;
        for (var i = 1; i < keys.Length; i++)
        {
            var key = keys[i];
            if (keys[i - 1] <= key)
            {
                continue;
            }

            var item = items[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                items[j + 1] = items[j];
                j--;
            }

            keys[j + 1] = key;
            items[j + 1] = item;
            budget -= i - 1 - j;
            if (budget < 0)
            {
                Array.Sort(keys, items);
                return;
            }
        }
    }
}
