using System.ComponentModel;
using ChaosPg.Cluster;

namespace ChaosPg.Runner.Orchestration;

/// <summary>The commit of the checkout the harness runs from, for run.json.</summary>
public static class GitCommit
{
    /// <summary>The value recorded when the harness does not run from a git checkout (or git is missing).</summary>
    public const string Unknown = "unknown";

    /// <summary><c>git rev-parse HEAD</c> in <paramref name="directory"/>, or <see cref="Unknown"/>.</summary>
    public static async Task<string> ReadAsync(string directory, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await ProcessRunner.RunAsync("git", ["-C", directory, "rev-parse", "HEAD"], cancellationToken: cancellationToken).ConfigureAwait(false);
            var commit = result.StandardOutput.Trim();
            return result.ExitCode == 0 && commit.Length >= 7 ? commit : Unknown;
        }
        catch (Win32Exception)
        {
            return Unknown;
        }
    }
}
