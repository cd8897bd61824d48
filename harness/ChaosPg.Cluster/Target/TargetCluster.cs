using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Cluster.Managers.Common;
using ChaosPg.Cluster.Providers;
using Npgsql;

namespace ChaosPg.Cluster.Target;

/// <summary>
/// A cluster someone else runs, as a run sees it: the target file's nodes, with passwords from the environment and
/// the run's own schema first on every connection's search path. The schema is created when the cluster is opened
/// and dropped on disposal (unless the data is kept); nothing else of the target is ever written or stopped.
/// </summary>
public sealed class TargetCluster : IRoleChangingCluster
{
    /// <summary>What the history records as having decided a target's own role changes.</summary>
    public const string DecidedBy = "target";

    /// <summary>Time between polls of the role observer.</summary>
    public static readonly TimeSpan ObserveInterval = TimeSpan.FromMilliseconds(500);

    private readonly bool keepData;
    private readonly TimeSpan cleanupTimeout;
    private readonly ImmutableDictionary<string, string> nodeByApplicationName;
    private int acting;
    private int disposed;
    private TargetNode primary = null!;
    private ManagerObserver? observer;

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

    /// <inheritdoc/>
    public event Action<RoleChange>? RoleChanged;

    /// <inheritdoc/>
    public string Manager => DecidedBy;

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

        // Each node's pg_is_in_recovery() and timeline, as for a managed cluster; a target has no manager view to read.
        cluster.observer = new ManagerObserver(cluster.Nodes, _ => Task.FromResult<ManagerView?>(null), ObserveInterval);
        // Its first poll is the baseline the changes are seen against.
        cluster.observer.RoleChanged += cluster.OnObserved;
        cluster.observer.Start();
        return cluster;
    }

    public Task<ConvergenceResult> WaitConvergedAsync(TimeSpan deadline, CancellationToken cancellationToken = default) =>
        ConvergenceWaiter.WaitAsync(this, deadline, cancellationToken);

    /// <summary>
    /// A change the observer saw, unless it is the harness's own doing: a node promoted other than the primary the
    /// harness knows becomes it; the known primary going into recovery is reported as demoted. Anything while a
    /// harness promote or rejoin runs, and its results seen after it (the node already primary, a rejoined old
    /// primary), is the harness's, not the target's.
    /// </summary>
    private void OnObserved(RoleChange change)
    {
        if (Volatile.Read(ref acting) > 0 || change.Node is not { } name)
        {
            return;
        }

        var known = primary;
        switch (change.Kind)
        {
            case RoleChangeKind.Promoted when name != known.Name:
                MakePrimary((TargetNode)this[name]);
                break;
            case RoleChangeKind.Demoted when name == known.Name:
                break;
            default:
                return;
        }

        RoleChanged?.Invoke(change);
    }

    /// <summary>Drops the run's schema on the current primary (unless the data is kept); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (observer is not null)
        {
            await observer.DisposeAsync().ConfigureAwait(false);
        }

        if (keepData || primary is null)
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
