using System.Diagnostics;
using ChaosPg.Cluster.Tests.Local;

namespace ChaosPg.Cluster.Tests.Docker;

/// <summary>A <c>chaospg cluster up --backend docker</c> process SIGKILLed once its cluster is ready.</summary>
internal static class KilledDockerHarness
{
    /// <summary>Runs the harness until ready, SIGKILLs it, and returns the run id it printed; <paramref name="reaper"/> false turns its reaper off.</summary>
    public static async Task<string> RunAsync(bool reaper)
    {
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { TestCluster.CliDll(), "cluster", "up", "--replicas", "1", "--backend", "docker", "--pg-image", DockerTestEnvironment.PgImages.First(), "--toxiproxy-image", DockerTestEnvironment.ToxiproxyImage })
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (!reaper)
        {
            startInfo.Environment["CHAOSPG_REAPER"] = "0";
        }

        using var harness = Process.Start(startInfo)!;
        string? runId = null;
        try
        {
            while (await harness.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120)) is { } line && line.StartsWith("ready", StringComparison.Ordinal) is false)
            {
                if (line.StartsWith("docker run: ", StringComparison.Ordinal))
                {
                    runId = line["docker run: ".Length..].Split(' ')[0];
                }
            }
        }
        finally
        {
            harness.Kill();
            await harness.WaitForExitAsync();
        }

        Assert.That(runId, Is.Not.Null, await harness.StandardError.ReadToEndAsync());
        return runId!;
    }
}
