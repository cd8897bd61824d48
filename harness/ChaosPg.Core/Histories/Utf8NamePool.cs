using System.Text.Json;

namespace ChaosPg.Core.Histories;

/// <summary>
/// Hands back one string per distinct UTF-8 spelling of a short, often repeated value (client, node, link, table), so
/// reading a million lines allocates a handful of names instead of four strings a line. Keyed on the raw bytes of the
/// token, escapes included: two spellings of one name become two entries for the same text, which the history builder
/// interns anyway. Only for values drawn from a small set; unique values (write ids) would fill it.
/// </summary>
internal sealed class Utf8NamePool
{
    private Entry[] entries = new Entry[64];
    private int count;

    /// <summary>The string of the reader's current string token.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        var hash = Hash(raw);
        var mask = entries.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            ref var entry = ref entries[slot];
            if (entry.Bytes is null)
            {
                return Add(ref reader, raw, hash);
            }

            if (entry.Hash == hash && raw.SequenceEqual(entry.Bytes))
            {
                return entry.Value!;
            }
        }
    }

    private string Add(ref Utf8JsonReader reader, ReadOnlySpan<byte> raw, int hash)
    {
        var value = reader.GetString()!;
        if ((count + 1) * 2 > entries.Length)
        {
            var old = entries;
            entries = new Entry[old.Length * 2];
            foreach (var entry in old)
            {
                if (entry.Bytes is not null)
                {
                    Insert(entry);
                }
            }
        }

        Insert(new Entry(raw.ToArray(), value, hash));
        count++;
        return value;
    }

    private void Insert(Entry entry)
    {
        var mask = entries.Length - 1;
        var slot = entry.Hash & mask;
        while (entries[slot].Bytes is not null)
        {
            slot = (slot + 1) & mask;
        }

        entries[slot] = entry;
    }

    // FNV-1a: the names are a few bytes long, where a general-purpose hash costs more than it spreads.
    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & int.MaxValue);
    }

    private readonly record struct Entry(byte[]? Bytes, string? Value, int Hash);
}
