using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChaosPg.Cluster.Reaping;

/// <summary>
/// The per-run list of things to reap: a JSON-lines file the harness appends to as it starts things, and the reaper
/// reads once the harness is gone. Each entry is one line, written and flushed whole, so a harness killed mid-write
/// leaves at most a torn last line, which the reader skips.
/// </summary>
public sealed class ReapList
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private readonly Lock gate = new();

    /// <summary>Creates (or empties) the list at <paramref name="path"/>.</summary>
    public ReapList(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Empty);
    }

    /// <summary>The list's file.</summary>
    public string Path { get; }

    /// <summary>Appends an entry; null (a process already gone) is ignored.</summary>
    public void Add(ReapEntry? entry)
    {
        if (entry is null)
        {
            return;
        }

        var line = JsonSerializer.Serialize(entry, JsonOptions) + "\n";
        lock (gate)
        {
            File.AppendAllText(Path, line);
        }
    }

    /// <summary>Every whole entry of the list at <paramref name="path"/>; a missing file is an empty list.</summary>
    public static IReadOnlyList<ReapEntry> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        var entries = new List<ReapEntry>();
        foreach (var line in lines)
        {
            try
            {
                if (line.Length > 0 && JsonSerializer.Deserialize<ReapEntry>(line, JsonOptions) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException)
            {
                // A torn last line: the harness died while writing it.
            }
        }

        return entries;
    }
}
