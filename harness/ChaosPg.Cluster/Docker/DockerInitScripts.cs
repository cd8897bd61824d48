using System.Reflection;
using System.Text;

namespace ChaosPg.Cluster.Docker;

/// <summary>
/// The init scripts of docker/compose.yaml, embedded in this assembly so the Docker backend runs the very same
/// cluster setup as the compose file, from an installed tool with no checkout.
/// </summary>
internal static class DockerInitScripts
{
    /// <summary>docker/init/primary/10-replication.sh: the replication role, the slots and the pg_hba line.</summary>
    public static byte[] PrimaryReplication => Read("docker.init.primary.10-replication.sh");

    /// <summary>docker/init/replica-entrypoint.sh: pg_basebackup -R -S through the proxy, then the image's entrypoint.</summary>
    public static byte[] ReplicaEntrypoint => Read("docker.init.replica-entrypoint.sh");

    /// <summary>Docker/template-entrypoint.sh: a run's node takes the harness's standby settings or pg_rewind request, then the image's entrypoint.</summary>
    public static string TemplateEntrypoint => Encoding.UTF8.GetString(Read("docker.template-entrypoint.sh"));

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
