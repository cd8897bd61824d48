using System.Collections.Immutable;
using ChaosPg.Core.Checkers;

namespace ChaosPg.Runner.Tests.Reports;

/// <summary>A private copy of the committed run-recorded fixture (a real sync-commit-cancel-loss run, seed 7), so a test may write report.html or alter files.</summary>
internal sealed class FixtureRun
{
    public FixtureRun()
    {
        Root = Directory.CreateTempSubdirectory("chaospg-report-").FullName;
        Path = System.IO.Path.Combine(Root, "runs", "failover-sync", "20261126T210000Z-42");
        Copy(System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "run-recorded"), Path);
    }

    /// <summary>The temp folder holding the copy (the copy sits at runs/failover-sync/&lt;time&gt;-42 under it).</summary>
    public string Root { get; }

    public string Path { get; }

    public void Delete() => Directory.Delete(Root, recursive: true);

    /// <summary>A second copy of the fixture under the same root, e.g. to make a suite of several runs.</summary>
    public string CopyAs(string scenario, string name)
    {
        var target = System.IO.Path.Combine(Root, "runs", scenario, name);
        Copy(Path, target);
        return target;
    }

    /// <summary>The suite with these counts and figures set on its checkers (a checker missing from it is added as valid).</summary>
    public static SuiteResult WithFigures(SuiteResult suite, (string Checker, string Name, long Value)[] counts, (string Checker, string Name, double Value)[] figures)
    {
        var results = suite.Results.ToList();
        foreach (var checker in counts.Select(c => c.Checker).Concat(figures.Select(f => f.Checker)).Distinct())
        {
            var index = results.FindIndex(r => r.Checker == checker);
            var result = index >= 0 ? results[index] : new CheckerResult(checker, Verdict.Valid, "set by the test", ImmutableSortedDictionary<string, long>.Empty, ImmutableSortedDictionary<string, double>.Empty, []);
            result = result with
            {
                Counts = counts.Where(c => c.Checker == checker).Aggregate(result.Counts, (d, c) => d.SetItem(c.Name, c.Value)),
                Figures = figures.Where(f => f.Checker == checker).Aggregate(result.Figures, (d, f) => d.SetItem(f.Name, f.Value)),
            };
            if (index >= 0)
            {
                results[index] = result;
            }
            else
            {
                results.Add(result);
            }
        }

        return suite with { Results = [.. results] };
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
