using System.CommandLine;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Local;
using Docker.DotNet;
using Docker.DotNet.Models;

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

    // Docker is optional (only the Docker backend needs it), so its absence is reported, not an error. Asked over
    // the daemon's socket, as the Docker backend does: no docker CLI needed.
    private static async Task<string> DockerStatusAsync(CancellationToken cancellationToken)
    {
        DockerDaemonInfo daemon;
        try
        {
            daemon = await DockerDaemon.ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterConfigurationException e)
        {
            return $"absent  {e.Message} (only the Docker backend needs it)";
        }

        var api = daemon.ApiVersion < DockerDaemon.TestcontainersApiVersion
            ? $"API {daemon.ApiVersion.ToString(2)}, older than Testcontainers' {DockerDaemon.TestcontainersApiVersion.ToString(2)}: ChaosPg pins DOCKER_API_VERSION={daemon.ApiVersion.ToString(2)} and runs without Ryuk"
            : $"API {daemon.ApiVersion.ToString(2)}";
        using var client = DockerDaemon.CreateClient(daemon);
        var tags = await DockerDaemon.ImageTagsAsync(client, cancellationToken).ConfigureAwait(false);
        var relevant = tags.Where(t => t.StartsWith("chaospg/", StringComparison.Ordinal) || t.StartsWith("postgres:", StringComparison.Ordinal) || t.Contains("toxiproxy", StringComparison.Ordinal)).ToList();
        var defaults = string.Join(", ", new[] { DockerClusterOptions.DefaultPgImage, DockerClusterOptions.DefaultToxiproxyImage }
            .Select(image => $"{image} {(DockerDaemon.HasImage(tags, image) ? "present" : "absent")}"));
        return $"ok      docker daemon {daemon.ServerVersion} at {daemon.Endpoint.LocalPath} ({api})\n" +
            $"        images: {(relevant.Count == 0 ? "none for ChaosPg (build them with docker/images/build.sh)" : string.Join(", ", relevant))}\n" +
            $"        defaults: {defaults}\n" +
            $"        templates: {await TemplatesAsync(client, cancellationToken).ConfigureAwait(false)}";
    }

    // The images whose data template (docker/README.md) the daemon holds: a run on another image makes one first.
    private static async Task<string> TemplatesAsync(DockerClient client, CancellationToken cancellationToken)
    {
        var images = await client.Images.ListImagesAsync(new ImagesListParameters(), cancellationToken).ConfigureAwait(false);
        var names = images
            .Where(i => i.Labels?.ContainsKey(DockerLabels.Template) == true)
            .Select(t => images.FirstOrDefault(i => t.Labels.TryGetValue(DockerLabels.TemplateImage, out var id) && i.ID == id))
            .Select(i => i?.RepoTags?.FirstOrDefault(t => t != "<none>:<none>") ?? i?.ID[..19] ?? "an image no longer present")
            .Order(StringComparer.Ordinal)
            .ToList();
        return names.Count == 0 ? "none yet (the first run on an image makes its template)" : string.Join(", ", names);
    }
}
