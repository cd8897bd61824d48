using System.CommandLine;
using ChaosPg.Cli.Commands;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

public class ValidateCommandTests
{
    private string directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), $"chaospg-validate-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task A_directory_of_valid_scenarios_passes_with_exit_code_0()
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "good.yaml"), Scenario("duration: 10s"));

        var (code, output, error) = await InvokeAsync(directory);

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("good.yaml: good, 0 steps"));
        Assert.That(error, Is.Empty);
    }

    [Test]
    public async Task An_invalid_scenario_prints_each_error_with_its_position_and_exits_2()
    {
        string file = Path.Combine(directory, "bad.yaml");
        await File.WriteAllTextAsync(file, Scenario("duration: 10 seconds\ncolour: red"));

        var (code, _, error) = await InvokeAsync(file);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain($"{file}:8:11: duration '10 seconds' is not a duration"));
        Assert.That(error, Does.Contain($"{file}:9:1: unknown key 'colour' in the scenario"));
    }

    [Test]
    public async Task A_missing_path_is_one_line_and_exit_code_2()
    {
        var (code, _, error) = await InvokeAsync(Path.Combine(directory, "nope.yaml"));

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith("no such file or directory"));
    }

    private static string Scenario(string tail) =>
        "name: good\ndescription: d\ncluster:\n  replicas: 1\nworkload:\n  kind: bank\n  writers: 1\n" + tail + "\n";

    private static async Task<(int Code, string Output, string Error)> InvokeAsync(params string[] paths)
    {
        var root = new RootCommand { ValidateCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await root.Parse(["validate", .. paths]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
