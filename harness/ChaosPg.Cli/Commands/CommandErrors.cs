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
        catch (Exception e) when (e is ClusterConfigurationException or NodeStartException or FileNotFoundException)
        {
            await Console.Error.WriteLineAsync($"chaospg: {e.Message}").ConfigureAwait(false);
            return EnvironmentError;
        }
    }
}
