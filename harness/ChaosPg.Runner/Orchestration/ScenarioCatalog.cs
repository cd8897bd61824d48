namespace ChaosPg.Runner.Orchestration;

/// <summary>Finds scenario files: the catalog folder of the checkout, and the files that paths on a command line name.</summary>
public static class ScenarioCatalog
{
    /// <summary>The catalog's folder name, beside ChaosPg.sln.</summary>
    public const string DirectoryName = "scenarios";

    private const string SolutionFile = "ChaosPg.sln";

    /// <summary>
    /// The scenarios/ folder beside ChaosPg.sln, looking from <paramref name="startDirectory"/> upwards, else the one
    /// beside the executable; null when neither exists.
    /// </summary>
    public static string? FindDefaultDirectory(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                var candidate = Path.Combine(directory.FullName, DirectoryName);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }

                break;
            }
        }

        var besideExecutable = Path.Combine(AppContext.BaseDirectory, DirectoryName);
        return Directory.Exists(besideExecutable) ? besideExecutable : null;
    }

    /// <summary>Every *.yaml file of a folder, in name order.</summary>
    public static IReadOnlyList<string> FilesIn(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal)];

    /// <summary>The files named by <paramref name="paths"/>: a file as is, a folder as its *.yaml files.</summary>
    /// <exception cref="FileNotFoundException">A path is neither a file nor a folder.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(FilesIn(path));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new FileNotFoundException($"no such file or directory: {path}; pass scenario files or a folder of them (e.g. scenarios/)", path);
            }
        }

        return files;
    }
}
