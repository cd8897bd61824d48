using System.Collections.Immutable;
using System.Globalization;
using Npgsql;

namespace ChaosPg.Cluster.Target;

/// <summary>
/// A cluster someone else runs, as a run sees it: the target file's nodes, with passwords from the environment and
/// the run's own schema first on every connection's search path. The schema is created when the cluster is opened
/// and dropped on disposal (unless the data is kept); nothing else of the target is ever written or stopped.
/// </summary>
public sealed class TargetCluster : IReplicatedCluster, IObservableRoles
{
    private readonly bool keepData;
    private readonly TimeSpan cleanupTimeout;
    private readonly ImmutableDictionary<string, string> nodeByApplicationName;
    private int acting;
    private int disposed;
    private TargetNode primary = null!;

    private TargetCluster(TargetSpec target, ClusterSpec spec, string schema, bool keepData, TimeSpan cleanupTimeout)
    {
        Target = target;
        Spec = spec;
        Schema = schema;
        this.keepData = keepData;
        this.cleanupTimeout = cleanupTimeout;
        nodeByApplicationName = target.Nodes.ToImmutableDictionary(n => n.ApplicationName, n => n.Name, StringComparer.Ordinal);
    }

    /// <summary>The target file's description.</summary>
    public TargetSpec Target { get; }

    public ClusterSpec Spec { get; }

    public string Backend => "target";

    public string ServerVersion { get; private set; } = "unknown";

    public ImmutableArray<IClusterNode> Nodes { get; private set; }

    public IClusterNode Primary => primary;

    /// <summary>Empty: the target's logs are where the target keeps them.</summary>
    public string LogDirectory => string.Empty;

    /// <summary>The schema this run's workload writes to, e.g. chaospg_run_20261206_230102_3fa9c1.</summary>
    public string Schema { get; }

    internal TimeSpan ReadyTimeout { get; } = TimeSpan.FromSeconds(60);

    public IClusterNode this[string name] =>
        Nodes.FirstOrDefault(n => n.Name == name) ?? throw new KeyNotFoundException($"no node named {name} in {Target.File}; nodes: {string.Join(", ", Nodes.Select(n => n.Name))}");

    /// <summary>
    /// Opens the target: resolves the passwords, checks that the node named primary is the only one not in recovery,
    /// reads the server version and creates the run's schema on the primary. Nothing is left behind when it throws.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">A password variable is unset, a node does not answer, or the roles are not as the file says.</exception>
    public static async Task<TargetCluster> OpenAsync(TargetSpec target, ClusterSpec spec, bool keepData, TimeSpan cleanupTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(spec);
        var schema = string.Create(CultureInfo.InvariantCulture, $"{target.SchemaPrefix}_{DateTime.UtcNow:yyyyMMdd_HHmmss}_{Random.Shared.Next(0x1000000):x6}");
        var cluster = new TargetCluster(target, spec, schema, keepData, cleanupTimeout);
        var nodes = target.Nodes
            .Select(n => new TargetNode(cluster, n, WithSchema(Resolve(n.Admin, n.Name, "admin"), schema), WithSchema(Resolve(n.Client, n.Name, "client"), schema)))
            .ToImmutableArray();
        cluster.Nodes = [.. nodes.Cast<IClusterNode>()];
        foreach (var node in nodes)
        {
            var role = await node.ReadRoleAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new ClusterConfigurationException($"{node.Name} of {target.File} does not answer on its admin connection ({node.Endpoint.Host}:{node.Endpoint.Port})");
            if (role.InRecovery == (node.Name == ClusterSpec.NodeNamePrimary))
            {
                throw new ClusterConfigurationException(node.Name == ClusterSpec.NodeNamePrimary
                    ? $"the node named primary in {target.File} is in recovery: a run starts on the node that is primary now; rename the nodes so that it is primary"
                    : $"{node.Name} of {target.File} is not in recovery: only the node named primary may accept writes when a run starts");
            }
        }

        cluster.primary = nodes.First(n => n.Name == ClusterSpec.NodeNamePrimary);
        cluster.MakePrimary(cluster.primary);
        cluster.ServerVersion = await NodeSql.ServerVersionAsync(cluster.primary, cancellationToken).ConfigureAwait(false);
        await cluster.CreateSchemaAsync(cancellationToken).ConfigureAwait(false);
        return cluster;
    }

    public Task<ConvergenceResult> WaitConvergedAsync(TimeSpan deadline, CancellationToken cancellationToken = default) =>
        ConvergenceWaiter.WaitAsync(this, deadline, cancellationToken);

    /// <inheritdoc/>
    public async Task<ImmutableArray<ObservedRoleChange>> ObserveRolesAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref acting) > 0)
        {
            return [];
        }

        var nodes = Nodes.Cast<TargetNode>().ToList();
        var roles = await Task.WhenAll(nodes.Select(n => n.ReadRoleAsync(cancellationToken))).ConfigureAwait(false);

        // The harness's own promotion may have started while the nodes were asked: what they said is its doing.
        if (Volatile.Read(ref acting) > 0)
        {
            return [];
        }

        var changes = ImmutableArray.CreateBuilder<ObservedRoleChange>();
        var known = primary;
        for (var i = 0; i < nodes.Count; i++)
        {
            if (roles[i] is not { } role)
            {
                continue;
            }

            if (!role.InRecovery && nodes[i] != known)
            {
                changes.Add(new ObservedRoleChange(nodes[i].Name, true, role.Timeline, known.Name));
                MakePrimary(nodes[i]);
            }
            else if (role.InRecovery && nodes[i] == known)
            {
                changes.Add(new ObservedRoleChange(nodes[i].Name, false, role.Timeline, known.Name));
            }
        }

        return changes.ToImmutable();
    }

    /// <summary>Drops the run's schema on the current primary (unless the data is kept); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1 || keepData || primary is null)
        {
            return;
        }

        using var limit = new CancellationTokenSource(cleanupTimeout);
        var connection = await NodeSql.OpenAsync(primary, limit.Token).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await NodeSql.ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {Quote(Schema)} CASCADE", limit.Token).ConfigureAwait(false);
        }
    }

    /// <summary>The node whose application_name is <paramref name="applicationName"/>, or the name itself.</summary>
    internal string NodeNameOf(string applicationName) => nodeByApplicationName.GetValueOrDefault(applicationName, applicationName);

    /// <summary>Marks a promotion or rejoin the harness runs, so the role observer does not record it as someone else's.</summary>
    internal IDisposable Acting()
    {
        Interlocked.Increment(ref acting);
        return new ActingScope(this);
    }

    internal void MakePrimary(TargetNode node)
    {
        primary = node;
        node.MarkPrimary();
        foreach (var other in Nodes.Cast<TargetNode>().Where(n => n != node))
        {
            other.Upstream = node;
        }
    }

    private async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        var client = new NpgsqlConnectionStringBuilder(primary.GetConnectionString(DatabaseRole.App)).Username;
        var connection = await NodeSql.OpenAsync(primary, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // CREATE SCHEMA without IF NOT EXISTS: a name that is taken is someone's data, never this run's.
            await NodeSql.ExecuteAsync(connection, $"CREATE SCHEMA {Quote(Schema)}", cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(client))
            {
                await NodeSql.ExecuteAsync(connection, $"GRANT USAGE ON SCHEMA {Quote(Schema)} TO {Quote(client)}", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Resolve(TargetConnection connection, string node, string which)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        if (connection.PasswordEnvironmentVariable is { } variable)
        {
            builder.Password = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } password
                ? password
                : throw new ClusterConfigurationException($"the {which} password of {node} comes from the environment variable {variable}, which is not set: export it before the run");
        }

        return builder.ConnectionString;
    }

    private static string WithSchema(string connectionString, string schema) =>
        new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed class ActingScope(TargetCluster cluster) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                Interlocked.Decrement(ref cluster.acting);
            }
        }
    }
}
