using ChaosPg.Cluster;

namespace ChaosPg.Cli.Commands;

/// <summary>Turns the errors a user can fix into one message on stderr and exit code 2, never a stack trace.</summary>
internal static class CommandErrors
{
    public const int EnvironmentError = 2;

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClusterConfigurationException or NodeStartException or IOException or UnauthorizedAccessException)
        {
            // A file or folder the user named that cannot be read or written (missing, a file where a folder should
            // be, no permission) is theirs to fix: one line, whatever command met it.
            await Console.Error.WriteLineAsync($"chaospg: {OneLine(e.Message)}").ConfigureAwait(false);
            return EnvironmentError;
        }
    }

    /// <summary>A message folded onto one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
