using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChaosPg.Cluster.Local;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;

namespace ChaosPg.Cluster.Docker;

/// <summary>
/// The data directories every Docker run's nodes start from, made once per PostgreSQL image by the init scripts of
/// docker/init, as the local backend's <see cref="TemplateCache"/> is made once per PostgreSQL build. To make it, a
/// cluster is brought up the compose file's way (initdb and 10-replication.sh by the image's entrypoint, the harness's
/// roles, a replica cloned by replica-entrypoint.sh's pg_basebackup -R -S through the proxy) and stopped cleanly; its
/// two data directories are copied into a container of the image, which is committed as the template image. A run's
/// nodes are containers of that image whose PGDATA is already there (template-entrypoint.sh): nothing is copied at
/// start, overlayfs copies a file up the first time the server writes to it. The same cluster, brought up in a
/// fraction of the time. Its passwords and slots are the run's own before any replica starts.
/// </summary>
/// <remarks>
/// The template image is tagged <c>chaospg-template:&lt;key&gt;</c>; tagging is what commits it, so a build that dies
/// before that leaves at most an untagged image, which <see cref="DockerSweeper"/> removes with the templates of
/// images the daemon no longer has.
/// </remarks>
/// <param name="Key">The hash of the image and of what made the template.</param>
/// <param name="Image">The template image's id.</param>
/// <param name="SuperuserPassword">The superuser's password in the template, which a run replaces first.</param>
internal sealed record DockerTemplate(string Key, string Image, string SuperuserPassword)
{
    /// <summary>The repository of template images; the tag is the key.</summary>
    public const string Repository = "chaospg-template";

    /// <summary>The primary's data directory, in the template image.</summary>
    public const string PrimaryDirectory = "/chaospg/pgdata/primary";

    /// <summary>The replica's data directory (standby.signal and primary_conninfo included), in the template image.</summary>
    public const string ReplicaDirectory = "/chaospg/pgdata/replica";

    // Raise when what a template holds changes in a way the hashed inputs do not show.
    private const int Format = 2;

    /// <summary>Returns <paramref name="options"/>' image's template, building it first if the daemon has none.</summary>
    public static async Task<DockerTemplate> EnsureAsync(DockerClient client, DockerDaemonInfo daemon, DockerClusterOptions options, CancellationToken cancellationToken)
    {
        var image = await client.Images.InspectImageAsync(options.PgImage, cancellationToken).ConfigureAwait(false);
        var key = KeyOf(image.ID);
        return await FindAsync(client, key, cancellationToken).ConfigureAwait(false)
            ?? await BuildAsync(client, daemon, options, key, image, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key of a template made from the image <paramref name="imageId"/> by this assembly's init scripts.</summary>
    public static string KeyOf(string imageId) =>
        Convert.ToHexStringLower(SHA256.HashData([
            .. Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{imageId}|{Format}|{DockerNode.InitDbArguments}|{DockerNode.InitSql("<verifier>")}|")),
            .. DockerInitScripts.PrimaryReplication,
            .. DockerInitScripts.ReplicaEntrypoint,
        ]))[..16];

    /// <summary>The template image's name.</summary>
    public static string ImageName(string key) => $"{Repository}:{key}";

    private static async Task<DockerTemplate?> FindAsync(DockerClient client, string key, CancellationToken cancellationToken)
    {
        try
        {
            var image = await client.Images.InspectImageAsync(ImageName(key), cancellationToken).ConfigureAwait(false);
            return image.Config?.Labels is { } labels && labels.TryGetValue(DockerLabels.TemplatePassword, out var password)
                ? new DockerTemplate(key, image.ID, password)
                : null;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    private static async Task<DockerTemplate> BuildAsync(DockerClient client, DockerDaemonInfo daemon, DockerClusterOptions options, string key, ImageInspectResponse image, CancellationToken cancellationToken)
    {
        var secrets = RunSecrets.Generate();
        // Only this build's command line keeps no WAL beyond what a restart needs, so the copies hold one segment each.
        var spec = ClusterSpec.CreateBuilder().WithReplicas(1).WithSetting("wal_keep_size", "0").WithSetting("wal_recycle", "off").Build();
        var buildOptions = options with
        {
            LogDirectory = options.LogDirectory is null ? null : Path.Combine(options.LogDirectory, "template"),
            // In the run's subnet, which is free until the run's own network takes it after this build.
            Kernel = options.Kernel is { } kernel ? Networks.Kernel.KernelTopology.ForContainers(kernel.RunId, kernel.SubnetPrefix, spec.NodeNames) : null,
        };
        var builder = await DockerCluster.StartAsync(spec, buildOptions, DockerDaemon.CreateClient(daemon), template: null, secrets, cancellationToken).ConfigureAwait(false);
        await using (builder.ConfigureAwait(false))
        {
            // The primary first: a fast shutdown sends its shutdown checkpoint to the replica before it ends, so both
            // copies end at that checkpoint, and a run's replicas need no WAL from before it.
            var (primary, replica) = (builder.Primary, builder.Nodes[1]);
            await DropUnusedDatabaseAsync(primary, cancellationToken).ConfigureAwait(false);
            await primary.StopAsync(cancellationToken).ConfigureAwait(false);
            await replica.StopAsync(cancellationToken).ConfigureAwait(false);
            await CopyAndCommitAsync(builder, primary, replica, key, image, secrets.Superuser, cancellationToken).ConfigureAwait(false);
        }

        // Two harnesses building at once both commit; the tag names the later image, and the earlier one is left
        // untagged for the sweep.
        return await FindAsync(client, key, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the Docker template image {ImageName(key)} could not be committed");
    }

    /// <summary>
    /// Drops the image's default database, as the local backend's template does: the harness uses only its own, and
    /// the template image is 7 MB and some 300 files smaller without it. The replica replays the drop before the
    /// primary's shutdown ends.
    /// </summary>
    private static async Task DropUnusedDatabaseAsync(DockerNode primary, CancellationToken cancellationToken)
    {
        var connection = await NodeSql.OpenAsync(primary, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await NodeSql.ExecuteAsync(connection, "DROP DATABASE postgres", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Copies the stopped nodes' data directories into a one-off container of the image, outside its VOLUME path, and
    /// commits that container as the template image. The primary's copy leaves out the builder's slot, as a base backup
    /// leaves out pg_replslot: dropping a slot renames its directory, and overlayfs refuses to rename a directory of a
    /// lower layer (EXDEV). A run creates its own slots (DockerNode.TakeOverTemplateAsync).
    /// </summary>
    private static async Task CopyAndCommitAsync(DockerCluster builder, DockerNode primary, DockerNode replica, string key, ImageInspectResponse image, string superuserPassword, CancellationToken cancellationToken)
    {
        var script = $"""
            set -eu
            mkdir -p {PrimaryDirectory} {ReplicaDirectory}
            cp -a /from/primary{primary.DataDirectory[DockerNode.DataMount.Length..]}/. {PrimaryDirectory}/
            cp -a /from/replica{replica.DataDirectory[DockerNode.DataMount.Length..]}/. {ReplicaDirectory}/
            rm -rf {PrimaryDirectory}/pg_replslot/*
            """;
        var copy = new ContainerBuilder(builder.Options.PgImage)
            .WithLogger(builder.Options.Logger)
            .WithName($"chaospg-{builder.RunId}-template")
            .WithLabel(builder.Labels)
            .WithCleanUp(false)
            .WithVolumeMount(primary.VolumeName, "/from/primary")
            .WithVolumeMount(replica.VolumeName, "/from/replica")
            // Nothing at the image's VOLUME path, so that Docker adds no anonymous volume for it.
            .WithTmpfsMount(DockerNode.DataMount)
            // The image's entrypoint runs any command but postgres as it is, as root: cp -a keeps the owners.
            .WithCommand("/bin/sh", "-c", script)
            .Build();
        await using (copy.ConfigureAwait(false))
        {
            await copy.StartAsync(cancellationToken).ConfigureAwait(false);
            var exit = await builder.Client.Containers.WaitContainerAsync(copy.Id, cancellationToken).ConfigureAwait(false);
            if (exit.StatusCode != 0)
            {
                var (stdout, stderr) = await copy.GetLogsAsync(timestampsEnabled: false, ct: cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException($"copying the Docker template failed (exit {exit.StatusCode}): {(stderr + stdout).Trim()}");
            }

            // The container ran the image's entrypoint with the copy as its command; the template gets the image's
            // command back, and keeps its other settings (entrypoint, environment, VOLUME) and labels, plus its own.
            var labels = new Dictionary<string, string>(image.Config?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                [DockerLabels.Template] = key,
                [DockerLabels.TemplateImage] = image.ID,
                [DockerLabels.TemplatePassword] = superuserPassword,
            };
            var commit = new CommitContainerChangesParameters
            {
                ContainerID = copy.Id,
                RepositoryName = Repository,
                Tag = key,
                Cmd = image.Config?.Cmd ?? ["postgres"],
                Labels = labels,
            };
            await builder.Client.Images.CommitContainerChangesAsync(commit, cancellationToken).ConfigureAwait(false);
        }
    }
}
