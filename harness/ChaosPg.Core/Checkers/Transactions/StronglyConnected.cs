namespace ChaosPg.Core.Checkers.Transactions;

/// <summary>Tarjan's strongly connected components, iterative (a million transactions would overflow a recursive one).</summary>
internal static class StronglyConnected
{
    /// <summary>The component id of every node; components of one node without a self edge get id -1.</summary>
    public static int[] Components(TransactionGraph graph, out int count)
    {
        var n = graph.Txns.Length;
        var index = new int[n];
        var low = new int[n];
        var component = new int[n];
        var onStack = new bool[n];
        var stack = new int[n];
        var callNode = new int[n];
        var callEdge = new int[n];
        Array.Fill(index, -1);
        var next = 0;
        var top = 0;
        count = 0;
        for (var root = 0; root < n; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }

            var depth = 0;
            callNode[0] = root;
            callEdge[0] = graph.OutStart[root];
            index[root] = low[root] = next++;
            stack[top++] = root;
            onStack[root] = true;
            while (depth >= 0)
            {
                var v = callNode[depth];
                if (callEdge[depth] < graph.OutStart[v + 1])
                {
                    var w = graph.Target(graph.OutEdges[callEdge[depth]++]);
                    if (index[w] < 0)
                    {
                        index[w] = low[w] = next++;
                        stack[top++] = w;
                        onStack[w] = true;
                        depth++;
                        callNode[depth] = w;
                        callEdge[depth] = graph.OutStart[w];
                    }
                    else if (onStack[w])
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }

                    continue;
                }

                if (low[v] == index[v])
                {
                    var size = 0;
                    int w;
                    do
                    {
                        w = stack[--top];
                        onStack[w] = false;
                        component[w] = count;
                        size++;
                    }
                    while (w != v);

                    if (size == 1)
                    {
                        component[v] = -1;
                    }
                    else
                    {
                        count++;
                    }
                }

                depth--;
                if (depth >= 0)
                {
                    var parent = callNode[depth];
                    low[parent] = Math.Min(low[parent], low[v]);
                }
            }
        }

        return component;
    }
}
