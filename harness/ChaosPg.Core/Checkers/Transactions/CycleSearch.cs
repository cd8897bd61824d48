namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>
/// Breadth-first searches for the shortest cycle of one anomaly class inside one strongly connected component. A
/// search starts from one edge a->b of the class's first kind and looks for a path back from b to a, over a product of
/// the component's nodes with three bits of state (last edge was rw; the path holds another rw; two rw edges were
/// adjacent), so that "no two rw edges adjacent" and "at least two rw edges" are conditions on the state reached at a.
/// </summary>
internal sealed class CycleSearch(TransactionGraph graph, int[] component)
{
    private const int States = 8;
    private const int LastRw = 1;
    private const int MoreRw = 2;
    private const int Adjacent = 4;
    private int[] local = [];
    private int[] stamp = [];
    private int[] previous = [];
    private int[] via = [];
    private int[] queue = [];
    private int[] membersOf = [];
    private int epoch;

    /// <summary>What a search may walk and what it must end with.</summary>
    public enum Goal
    {
        /// <summary>ww edges only.</summary>
        G0,

        /// <summary>ww and wr edges, starting with a wr.</summary>
        G1c,

        /// <summary>Exactly one rw edge.</summary>
        GSingle,

        /// <summary>At least two rw edges, no two adjacent (also across the wrap).</summary>
        GNonadjacent,

        /// <summary>At least two rw edges, some two adjacent.</summary>
        G2Item,
    }

    /// <summary>
    /// The shortest cycle (its edges, in order) of <paramref name="goal"/> in component <paramref name="scc"/>, trying
    /// at most <paramref name="starts"/> start edges; null when none was found. <paramref name="extra"/> adds the
    /// process and real-time edges the model orders by.
    /// </summary>
    public int[]? Find(int scc, int[] members, Goal goal, DependencyKind extra, int starts)
    {
        Prepare(members);
        var first = goal switch
        {
            Goal.G0 => DependencyKind.WW,
            Goal.G1c => DependencyKind.WR,
            _ => DependencyKind.RW,
        };
        var allowed = goal switch
        {
            Goal.G0 => DependencyKind.WW,
            Goal.G1c or Goal.GSingle => DependencyKind.WW | DependencyKind.WR,
            _ => DependencyKind.WW | DependencyKind.WR | DependencyKind.RW,
        } | extra;
        if (goal == Goal.G0 && extra != DependencyKind.None)
        {
            // A ww cycle closed by process or real-time order starts anywhere on its ww edges or the extra ones.
            first |= extra;
        }

        int[]? best = null;
        var tried = 0;
        foreach (var a in members)
        {
            for (var i = graph.OutStart[a]; i < graph.OutStart[a + 1] && tried < starts; i++)
            {
                var e = graph.OutEdges[i];
                if ((graph.Kind(e) & first) == 0 || component[graph.Target(e)] != scc)
                {
                    continue;
                }

                tried++;
                var cycle = Search(scc, e, goal, allowed);
                if (cycle is not null && (best is null || cycle.Length < best.Length))
                {
                    best = cycle;
                    if (best.Length == 2)
                    {
                        return best;
                    }
                }
            }

            if (tried >= starts)
            {
                break;
            }
        }

        return best;
    }

    private void Prepare(int[] members)
    {
        if (local.Length < graph.Txns.Length)
        {
            local = new int[graph.Txns.Length];
        }

        var size = members.Length * States;
        if (stamp.Length < size)
        {
            stamp = new int[size];
            previous = new int[size];
            via = new int[size];
            queue = new int[size];
            epoch = 0;
        }

        membersOf = members;
        for (var i = 0; i < members.Length; i++)
        {
            local[members[i]] = i;
        }
    }

    private int[]? Search(int scc, int startEdge, Goal goal, DependencyKind allowed)
    {
        if (++epoch == int.MaxValue)
        {
            Array.Clear(stamp);
            epoch = 1;
        }

        var a = graph.Source(startEdge);
        var b = graph.Target(startEdge);
        var startState = graph.Kind(startEdge) == DependencyKind.RW ? LastRw : 0;
        var head = 0;
        var tail = 0;
        var code = (local[b] * States) + startState;
        stamp[code] = epoch;
        previous[code] = -1;
        via[code] = startEdge;
        queue[tail++] = code;
        while (head < tail)
        {
            code = queue[head++];
            var node = Member(code);
            var state = code % States;
            for (var i = graph.OutStart[node]; i < graph.OutStart[node + 1]; i++)
            {
                var e = graph.OutEdges[i];
                var kind = graph.Kind(e);
                var to = graph.Target(e);
                if ((kind & allowed) == 0 || component[to] != scc)
                {
                    continue;
                }

                var rw = kind == DependencyKind.RW;
                if (goal == Goal.GNonadjacent && rw && (state & LastRw) != 0)
                {
                    continue;
                }

                var next = (rw ? LastRw : 0) | (state & MoreRw) | (rw ? MoreRw : 0) | (state & Adjacent) | (rw && (state & LastRw) != 0 ? Adjacent : 0);
                if (to == a)
                {
                    // The product walk may pass a transaction twice; such a walk is two shorter cycles, possibly of
                    // other classes, so only a simple cycle is evidence of this one.
                    if (Accepts(goal, next) && Path(code, e) is var path && IsSimple(path))
                    {
                        return path;
                    }

                    continue;
                }

                var nextCode = (local[to] * States) + next;
                if (stamp[nextCode] != epoch)
                {
                    stamp[nextCode] = epoch;
                    previous[nextCode] = code;
                    via[nextCode] = e;
                    queue[tail++] = nextCode;
                }
            }
        }

        return null;
    }

    private static bool Accepts(Goal goal, int state) => goal switch
    {
        Goal.GNonadjacent => (state & MoreRw) != 0 && (state & LastRw) == 0,
        Goal.G2Item => (state & Adjacent) != 0 || (state & LastRw) != 0,
        _ => true,
    };

    private int Member(int code) => membersOf[code / States];

    private bool IsSimple(int[] path)
    {
        for (var i = 0; i < path.Length; i++)
        {
            for (var j = i + 1; j < path.Length; j++)
            {
                if (graph.Source(path[i]) == graph.Source(path[j]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private int[] Path(int code, int lastEdge)
    {
        var edges = new List<int> { lastEdge };
        while (code >= 0)
        {
            edges.Add(via[code]);
            code = previous[code];
        }

        edges.Reverse();
        return [.. edges];
    }
}
