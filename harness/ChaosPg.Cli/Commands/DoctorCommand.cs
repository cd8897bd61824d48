using System.CommandLine;
using System.ComponentModel;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg doctor</c>: what the harness found on this machine and how to fix what is missing.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var pgBin = new Option<string?>("--pg-bin") { Description = "PostgreSQL bin directory to check instead of auto-detection." };
        var command = new Command("doctor", "Check PostgreSQL binaries, Docker and the OS user servers run as.") { pgBin };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var exitCode = 0;
            try
            {
                var binaries = await PgBinariesLocator.LocateAsync(parseResult.GetValue(pgBin), cancellationToken: cancellationToken).ConfigureAwait(false);
                Console.WriteLine($"ok      postgresql {binaries.Version} in {binaries.BinDirectory} (found by {binaries.Source})");
            }
            catch (ClusterConfigurationException e)
            {
                Console.WriteLine($"MISSING postgresql: {e.Message}");
                exitCode = CommandErrors.EnvironmentError;
            }

            try
            {
                var user = ServerUser.Resolve();
                Console.WriteLine(user.SwitchUser
                    ? $"ok      servers run as OS user {user.Name} (uid {user.Uid}); the harness runs as root"
                    : $"ok      servers run as the current OS user {user.Name}");
            }
            catch (ClusterConfigurationException e)
            {
                Console.WriteLine($"MISSING server user: {e.Message}");
                exitCode = CommandErrors.EnvironmentError;
            }

            Console.WriteLine(await DockerStatusAsync(cancellationToken).ConfigureAwait(false));
            return exitCode;
        });
        return command;
    }

    // Docker is optional (only the Docker backend needs it), so its absence is reported, not an error.
    private static async Task<string> DockerStatusAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            var result = await ProcessRunner.RunAsync("docker", ["info", "--format", "{{.ServerVersion}}"], cancellationToken: timeout.Token).ConfigureAwait(false);
            return result.ExitCode == 0
                ? $"ok      docker daemon reachable (server {result.StandardOutput.Trim()})"
                : $"absent  docker daemon not reachable (docker info exit {result.ExitCode}; socket /var/run/docker.sock {(File.Exists("/var/run/docker.sock") ? "exists" : "missing")}): start dockerd for the Docker backend; the local backend does not need it";
        }
        catch (Win32Exception)
        {
            return "absent  docker CLI not on PATH: install docker.io for the Docker backend; the local backend does not need it";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "absent  docker info did not answer within 15s: check the daemon for the Docker backend";
        }
    }
}
