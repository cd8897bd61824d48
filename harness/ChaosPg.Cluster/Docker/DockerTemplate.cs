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
/// roles, a replica cloned by replica-entrypoint.sh's pg_basebackup -R -S through the proxy), stopped cleanly, and its
/// two data directories are copied into a volume. A run's node copies one of them (template-entrypoint.sh) instead of
/// running initdb or pg_basebackup: the same cluster, brought up in half the time. Its passwords and slots are the
/// run's own before any replica starts.
/// </summary>
/// <remarks>
/// Two volumes: the data, and an index volume named after the template's key whose labels name the data volume.
/// A volume can be neither renamed nor relabelled, so creating the index, once the data is complete, is what commits
/// a template; a build that dies before that leaves only a data volume that no index names, which
/// <see cref="DockerSweeper"/> removes once its builder is dead.
/// </remarks>
/// <param name="Key">The hash of the image and of what made the template.</param>
/// <param name="DataVolume">The volume holding <see cref="PrimaryDirectory"/> and <see cref="ReplicaDirectory"/>.</param>
/// <param name="SuperuserPassword">The superuser's password in the template, which a run replaces first.</param>
internal sealed record DockerTemplate(string Key, string DataVolume, string SuperuserPassword)
{
    /// <summary>Where a node's container sees the template (read-only).</summary>
    public const string MountPath = "/chaospg/template";

    /// <summary>The primary's data directory, in the data volume.</summary>
    public const string PrimaryDirectory = "primary";

    /// <summary>The replica's data directory (standby.signal and primary_conninfo included), in the data volume.</summary>
    public const string ReplicaDirectory = "replica";

    // Raise when what a template holds changes in a way the hashed inputs do not show.
    private const int Format = 1;

    /// <summary>Returns <paramref name="options"/>' image's template, building it first if the daemon has none.</summary>
    public static async Task<DockerTemplate> EnsureAsync(DockerClient client, DockerDaemonInfo daemon, DockerClusterOptions options, CancellationToken cancellationToken)
    {
        var image = await client.Images.InspectImageAsync(options.PgImage, cancellationToken).ConfigureAwait(false);
        var key = KeyOf(image.ID);
        return await FindAsync(client, key, cancellationToken).ConfigureAwait(false)
            ?? await BuildAsync(client, daemon, options, key, image.ID, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key of a template made from the image <paramref name="imageId"/> by this assembly's init scripts.</summary>
    public static string KeyOf(string imageId) =>
        Convert.ToHexStringLower(SHA256.HashData([
            .. Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{imageId}|{Format}|{DockerNode.InitDbArguments}|{DockerNode.InitSql("<verifier>")}|")),
            .. DockerInitScripts.PrimaryReplication,
            .. DockerInitScripts.ReplicaEntrypoint,
        ]))[..16];

    private static string IndexVolume(string key) => $"chaospg-template-{key}";

    private static async Task<DockerTemplate?> FindAsync(DockerClient client, string key, CancellationToken cancellationToken)
    {
        var index = await InspectVolumeAsync(client, IndexVolume(key), cancellationToken).ConfigureAwait(false);
        if (index?.Labels is not { } labels
            || !labels.TryGetValue(DockerLabels.TemplateData, out var data)
            || !labels.TryGetValue(DockerLabels.TemplatePassword, out var password))
        {
            return null;
        }

        if (await InspectVolumeAsync(client, data, cancellationToken).ConfigureAwait(false) is null)
        {
            // Its data was removed by hand: the index commits nothing any more.
            await client.Volumes.RemoveAsync(index.Name, force: true, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return new DockerTemplate(key, data, password);
    }

    private static async Task<DockerTemplate> BuildAsync(DockerClient client, DockerDaemonInfo daemon, DockerClusterOptions options, string key, string imageId, CancellationToken cancellationToken)
    {
        var secrets = RunSecrets.Generate();
        var data = $"{IndexVolume(key)}-{Guid.NewGuid().ToString("N")[..8]}";
        // Only this build's command line keeps no WAL beyond what a restart needs, so the copies hold one segment each.
        var spec = ClusterSpec.CreateBuilder().WithReplicas(1).WithSetting("wal_keep_size", "0").WithSetting("wal_recycle", "off").Build();
        var buildOptions = options with { LogDirectory = options.LogDirectory is null ? null : Path.Combine(options.LogDirectory, "template") };
        var builder = await DockerCluster.StartAsync(spec, buildOptions, DockerDaemon.CreateClient(daemon), template: null, secrets, cancellationToken).ConfigureAwait(false);
        var dataLabels = new Dictionary<string, string>(DockerLabels.Owner(), StringComparer.Ordinal) { [DockerLabels.TemplateData] = key };
        try
        {
            await using (builder.ConfigureAwait(false))
            {
                // The primary first: a fast shutdown sends its shutdown checkpoint to the replica before it ends, so both
                // copies end at that checkpoint, and a run's replicas need no WAL from before it. The replica's slot stays
                // in the primary's copy; a run replaces it with its own (DockerNode.TakeOverTemplateAsync).
                var (primary, replica) = (builder.Primary, builder.Nodes[1]);
                await DropUnusedDatabaseAsync(primary, cancellationToken).ConfigureAwait(false);
                await primary.StopAsync(cancellationToken).ConfigureAwait(false);
                await replica.StopAsync(cancellationToken).ConfigureAwait(false);

                await client.Volumes.CreateAsync(new VolumesCreateParameters { Name = data, Labels = dataLabels }, cancellationToken).ConfigureAwait(false);
                await CopyAsync(builder, primary, replica, data, cancellationToken).ConfigureAwait(false);
            }

            var indexLabels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [DockerLabels.Template] = key,
                [DockerLabels.TemplateData] = data,
                [DockerLabels.TemplateImage] = imageId,
                [DockerLabels.TemplatePassword] = secrets.Superuser,
            };
            try
            {
                await client.Volumes.CreateAsync(new VolumesCreateParameters { Name = IndexVolume(key), Labels = indexLabels }, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException)
            {
                // Another harness may have committed this template first: the daemon then refuses the name or returns
                // the existing volume. Either way the index read back names the data volume that won.
            }

            var committed = await FindAsync(client, key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the Docker template volume {IndexVolume(key)} could not be created");
            if (committed.DataVolume != data)
            {
                await client.Volumes.RemoveAsync(data, force: true, cancellationToken).ConfigureAwait(false);
            }

            return committed;
        }
        catch
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (await InspectVolumeAsync(client, data, timeout.Token).ConfigureAwait(false) is not null)
            {
                await client.Volumes.RemoveAsync(data, force: true, timeout.Token).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Drops the image's default database, as the local backend's template does: every node of every run copies each
    /// database, the harness uses only its own, and one fewer is 7 MB and some 300 files less to write per node. The
    /// replica replays the drop before the primary's shutdown ends.
    /// </summary>
    private static async Task DropUnusedDatabaseAsync(DockerNode primary, CancellationToken cancellationToken)
    {
        var connection = await NodeSql.OpenAsync(primary, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await NodeSql.ExecuteAsync(connection, "DROP DATABASE postgres", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies the stopped nodes' data directories into the data volume, in a one-off container of the image.</summary>
    private static async Task CopyAsync(DockerCluster builder, DockerNode primary, DockerNode replica, string data, CancellationToken cancellationToken)
    {
        // Sparse where the data is zeros (the WAL segment past its last record), so copies of it write less; plain
        // cp -a where cp has no --sparse (busybox).
        var script = $$"""
            set -eu
            copy() { cp -a --sparse=always "$1/." "$2/" 2>/dev/null || cp -a "$1/." "$2/"; }
            copy /from/primary{{primary.DataDirectory[DockerNode.DataMount.Length..]}} {{DockerNode.DataMount}}/{{PrimaryDirectory}}
            copy /from/replica{{replica.DataDirectory[DockerNode.DataMount.Length..]}} {{DockerNode.DataMount}}/{{ReplicaDirectory}}
            """;
        var copy = new ContainerBuilder(builder.Options.PgImage)
            .WithLogger(builder.Options.Logger)
            .WithName($"chaospg-{builder.RunId}-template")
            .WithLabel(builder.Labels)
            .WithCleanUp(false)
            .WithVolumeMount(primary.VolumeName, "/from/primary")
            .WithVolumeMount(replica.VolumeName, "/from/replica")
            // The data volume at the image's VOLUME path, so that Docker adds no anonymous volume for it.
            .WithVolumeMount(data, DockerNode.DataMount)
            .WithEntrypoint("/bin/sh", "-c", script)
            // As root, cp -a keeps the postgres user's ownership.
            .WithCreateParameterModifier(parameters => parameters.User = "root")
            .Build();
        await builder.RunToCompletionAsync(copy, $"copying the Docker template into {data}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<VolumeResponse?> InspectVolumeAsync(DockerClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Volumes.InspectAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
