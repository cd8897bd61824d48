namespace ChaosPg.Toxiproxy.Server;

/// <summary>
/// Where the slicer toxic cuts a chunk: Toxiproxy's own algorithm (toxics/slicer.go: a piece within average_size +
/// size_variation is kept, a longer one is cut near its middle, moved by up to ± size_variation, and both halves are cut
/// again), made total. For every attribute set the real server accepts, including those on which it crashes once data
/// flows, it ends and returns pieces that are never empty and cover the chunk in order:
/// <list type="bullet">
/// <item>a negative size_variation counts as 0 (the real server panics in rand.Intn);</item>
/// <item>with size_variation 0 a piece is cut exactly in the middle (the real server panics in rand.Intn(0));</item>
/// <item>a cut is kept at least one byte inside its piece, and a one-byte piece is never cut, so average_size 0 or
/// below gives pieces of at most max(1, average_size + size_variation) bytes (the real server recurses until its stack
/// overflows, or slices out of range when size_variation exceeds half a piece).</item>
/// </list>
/// Iterative, so no chunk size can exhaust the stack.
/// </summary>
internal static class SlicerCuts
{
    /// <summary>The lengths of the pieces a chunk of <paramref name="length"/> bytes is sent in, in order.</summary>
    public static List<int> Pieces(int length, long averageSize, long sizeVariation, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var pieces = new List<int>();
        var variation = Math.Max(0, sizeVariation);
        var pending = new Stack<(int Start, int End)>();
        pending.Push((0, length));
        while (pending.Count > 0)
        {
            var (start, end) = pending.Pop();
            var size = end - start;
            if (size <= 0)
            {
                continue;
            }

            if (size == 1 || size - averageSize <= variation)
            {
                pieces.Add(size);
                continue;
            }

            var offset = variation == 0 ? 0 : random.NextInt64(-variation, variation);
            var mid = (int)Math.Clamp(start + (size / 2) + offset, start + 1L, end - 1L);
            // The right half is pushed first so that the left one is sent first.
            pending.Push((mid, end));
            pending.Push((start, mid));
        }

        return pieces;
    }
}
