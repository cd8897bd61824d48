using ChaosPg.Cluster;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Packaging;

/// <summary>
/// Runs .ci/validate-workflow (action-validator from npm, installed on first use) on the real workflows and on
/// copies of the nightly workflow broken on purpose.
/// </summary>
public class WorkflowValidatorTests
{
    private static readonly string Script = Path.Combine(Checkout.Root, ".ci", "validate-workflow");
    private static readonly string Nightly = Path.Combine(Checkout.Root, ".github", "workflows", "nightly.yml");
    private string directory = string.Empty;

    [SetUp]
    public void RequireNpm()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        if (!path.Split(':').Any(d => File.Exists(Path.Combine(d, "npm"))) || !path.Split(':').Any(d => File.Exists(Path.Combine(d, "node"))))
        {
            Assert.Ignore("node and npm are not on PATH: the workflow validator is an npm package (apt-get install npm)");
        }

        directory = Path.Combine(Path.GetTempPath(), $"chaospg-workflow-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Every_workflow_of_the_repository_is_valid()
    {
        var result = await ValidateAsync();

        Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
        Assert.That(result.StandardOutput, Does.Contain("valid   .github/workflows/nightly.yml"));
    }

    [TestCase("    steps:", "    stepz:", TestName = "A_workflow_with_a_misspelt_job_key_is_rejected")]
    [TestCase("    timeout-minutes: 120", "    timeout-minutes: two hours", TestName = "A_workflow_with_a_value_of_the_wrong_type_is_rejected")]
    [TestCase("  workflow_dispatch:", "  workflow-dispatch:", TestName = "A_workflow_with_an_unknown_trigger_is_rejected")]
    [TestCase("        pg: [\"15\"", "        pg: [\"15\"\n  : broken", TestName = "A_workflow_that_is_not_YAML_is_rejected")]
    public async Task A_broken_copy_of_the_nightly_workflow_is_rejected(string line, string replacement)
    {
        string text = await File.ReadAllTextAsync(Nightly);
        Assert.That(text, Does.Contain(line), "the nightly workflow changed; update the line this test breaks");
        string broken = Path.Combine(directory, "nightly.yml");
        await File.WriteAllTextAsync(broken, text.Replace(line, replacement, StringComparison.Ordinal));

        var result = await ValidateAsync(broken);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.StandardError, Does.Contain($"INVALID {broken}"));
    }

    private static async Task<ProcessResult> ValidateAsync(params string[] files)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await ProcessRunner.RunAsync("bash", [Script, .. files], cancellationToken: timeout.Token);
    }
}
