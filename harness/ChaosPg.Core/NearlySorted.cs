namespace ChaosPg.Core;

/// <summary>
/// Insertion sort for sequences that are nearly in order, as operations listed by completion are by invoke, or acks and
/// seqs listed by invoke are by time: linear when each element sits a few places from its sorted position, and it
/// needs no key array. Gives up past a few moves per element, leaving a permutation for the caller's general sort.
/// </summary>
internal static class NearlySorted
{
    private const int MovesPerElement = 8;

    /// <summary>
    /// Sorts <paramref name="keys"/> by <paramref name="comparer"/>, moving <paramref name="items"/> (same length, or
    /// empty) alongside, and returns true; returns false when the input was not nearly sorted (both spans are then a
    /// permutation of their input, in step, and still need sorting).
    /// </summary>
    public static bool TrySort<TKey, TItem, TComparer>(Span<TKey> keys, Span<TItem> items, TComparer comparer)
        where TComparer : IComparer<TKey>
    {
        var carry = !items.IsEmpty;
        var budget = (long)MovesPerElement * keys.Length;
        for (var i = 1; i < keys.Length; i++)
        {
            if (comparer.Compare(keys[i - 1], keys[i]) <= 0)
            {
                continue;
            }

            var key = keys[i];
            var item = carry ? items[i] : default;
            var j = i - 1;
            do
            {
                keys[j + 1] = keys[j];
                if (carry)
                {
                    items[j + 1] = items[j];
                }

                j--;
            }
            while (j >= 0 && comparer.Compare(keys[j], key) > 0);

            keys[j + 1] = key;
            if (carry)
            {
                items[j + 1] = item!;
            }

            budget -= i - 1 - j;
            if (budget < 0)
            {
                return false;
            }
        }

        return true;
    }
}
