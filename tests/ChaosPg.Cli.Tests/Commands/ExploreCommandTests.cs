using System.CommandLine;
using ChaosPg.Cli.Commands;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

public class ExploreCommandTests
{
    private string directory = string.Empty;

    [SetUp]
    public void CreateDirectory() => directory = Directory.CreateTempSubdirectory("chaospg-explore-cli-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task Bad_input_exits_2_with_one_line_per_problem_before_any_cluster_starts()
    {
        string reports = Path.Combine(directory, "reports");

        var (code, output, error) = await InvokeAsync("explore", "--replicas", "9", "--budget", "5x", "--duration", "2s", "--out", reports);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(3), error);
        Assert.That(error, Does.Contain("--replicas 9 is out of range"));
        Assert.That(error, Does.Contain("--budget '5x' is not a duration"));
        Assert.That(error, Does.Contain("--duration '2s' must be a duration from 4s to 10m"));
        Assert.That(output, Is.Empty);
        Assert.That(Directory.Exists(reports), Is.False, "nothing may start, not even an explore folder");
    }

    [Test]
    public async Task Bench_explore_refuses_a_parallelism_below_one()
    {
        var (code, _, error) = await InvokeAsync("bench", "explore", "--parallel", "0", "--out", Path.Combine(directory, "reports"));

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo("chaospg: --parallel must be at least 1"));
    }

    private static async Task<(int Code, string Output, string Error)> InvokeAsync(params string[] args)
    {
        var root = new RootCommand { ExploreCommand.Create(), new Command("bench") { BenchExploreCommand.Create() } };
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
