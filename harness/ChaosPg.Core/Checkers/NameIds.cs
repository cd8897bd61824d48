using System.Runtime.InteropServices;

namespace ChaosPg.Core.Checkers;

/// <summary>
/// Dense ids for the few names (nodes, clients) that every operation repeats, so the checkers compare ints. The history
/// builder interns these strings, so comparing references with the first names seen finds the id without hashing;
/// any other string falls back to an ordinal lookup, so equal names always get the same id.
/// </summary>
internal sealed class NameIds
{
    private const int ScannedByReference = 16;
    private readonly List<string> names = [];
    private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);

    public int Count => names.Count;

    public int IdOf(string name)
    {
        var known = CollectionsMarshal.AsSpan(names);
        for (var i = 0; i < known.Length && i < ScannedByReference; i++)
        {
            if (ReferenceEquals(known[i], name))
            {
                return i;
            }
        }

        if (!ids.TryGetValue(name, out var id))
        {
            id = names.Count;
            names.Add(name);
            ids.Add(name, id);
        }

        return id;
    }
}
