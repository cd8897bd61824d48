using System.Collections.Immutable;

namespace ChaosPg.Cluster.Networks.Kernel;

/// <summary>Runs <see cref="KernelCommand"/>s: inside a run namespace with <c>ip netns exec</c>, else in the root namespace.</summary>
public static class KernelShell
{
    /// <summary>Runs each command in order; the first one that fails (and may not) throws with its stderr.</summary>
    public static async Task RunAsync(IEnumerable<KernelCommand> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        foreach (var command in commands)
        {
            var result = await RunOneAsync(command, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0 && !command.MayFail)
            {
                throw new InvalidOperationException($"kernel network command failed (exit {result.ExitCode}): {command}: {result.StandardError.Trim()}");
            }
        }
    }

    /// <summary>Runs one command and returns its result whatever it is.</summary>
    public static Task<ProcessResult> RunOneAsync(KernelCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ImmutableArray<string> argv = command.Namespace is null ? command.Arguments : ["ip", "netns", "exec", command.Namespace, .. command.Arguments];
        return ProcessRunner.RunAsync(argv[0], argv.Skip(1), cancellationToken: cancellationToken);
    }
}
