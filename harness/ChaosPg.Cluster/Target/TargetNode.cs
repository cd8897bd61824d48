using Npgsql;

namespace ChaosPg.Cluster.Target;

/// <summary>
/// A node of a target: its faults are the target file's commands, its status is read over its admin connection, and
/// its role is what the server says (the cluster's role observer, <see cref="TargetCluster.RoleChanged"/>), since someone else may change it.
/// </summary>
public sealed class TargetNode : IClusterNode
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(2);
    private readonly TargetCluster cluster;
    private readonly string adminConnectionString;
    private readonly string clientConnectionString;
    private volatile bool running = true;
    private volatile bool paused;

    internal TargetNode(TargetCluster cluster, TargetNodeSpec spec, string adminConnectionString, string clientConnectionString)
    {
        this.cluster = cluster;
        Spec = spec;
        this.adminConnectionString = adminConnectionString;
        this.clientConnectionString = clientConnectionString;
        Endpoint = EndpointOf(adminConnectionString);
        ClientEndpoint = EndpointOf(clientConnectionString);
    }

    /// <summary>What the target file says about this node.</summary>
    public TargetNodeSpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>The admin connection's host and port.</summary>
    public LinkEndpoint Endpoint { get; }

    /// <summary>The client connection's host and port (the user's proxy, when there is one).</summary>
    public LinkEndpoint ClientEndpoint { get; }

    /// <summary>The current primary for a replica (a target's replicas are taken to stream from it); null for the primary.</summary>
    public IClusterNode? Upstream { get; internal set; }

    public bool IsRunning => running;

    /// <summary>False: a target node's network is the target's business; an isolation blackholes its links in the user's Toxiproxy.</summary>
    public bool CanIsolate => false;

    /// <summary>The admin connection (a superuser's) or the client one, each with its password and the run's schema first on the search path.</summary>
    public string GetConnectionString(DatabaseRole role) => role == DatabaseRole.Superuser ? adminConnectionString : clientConnectionString;

    /// <summary>The role's connection with the client connection's host and port.</summary>
    public string GetClientConnectionString(DatabaseRole role) =>
        new NpgsqlConnectionStringBuilder(GetConnectionString(role)) { Host = ClientEndpoint.Host, Port = ClientEndpoint.Port }.ConnectionString;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(TargetCommands.Start, cancellationToken).ConfigureAwait(false);
        await WaitAnswersAsync(cancellationToken).ConfigureAwait(false);
        running = true;
    }

    /// <summary>Not offered: a target file has no stop command (a kill, then start, is the crash the scenarios want).</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Name} is a target node: target files have no stop command; use kill and start");

    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(TargetCommands.Restart, cancellationToken).ConfigureAwait(false);
        await WaitAnswersAsync(cancellationToken).ConfigureAwait(false);
        running = true;
    }

    /// <summary>Runs the kill command; the command returns once the server is dead (docs/targets.md).</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(TargetCommands.Kill, cancellationToken).ConfigureAwait(false);
        running = false;
        paused = false;
    }

    public async Task PauseAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(TargetCommands.Pause, cancellationToken).ConfigureAwait(false);
        paused = true;
    }

    /// <summary>Runs the resume command when this run paused the node; otherwise does nothing (a heal resumes every node).</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        if (!paused)
        {
            return;
        }

        await RunAsync(TargetCommands.Resume, cancellationToken).ConfigureAwait(false);
        paused = false;
    }

    public Task IsolateAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Name} is a target node: isolate blackholes its links in the target's Toxiproxy instead");

    public Task ReconnectAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Runs the promote command and waits until the node leaves recovery; the target re-points its other replicas itself.</summary>
    public async Task PromoteAsync(CancellationToken cancellationToken = default)
    {
        using var acting = cluster.Acting();
        await RunAsync(TargetCommands.Promote, cancellationToken).ConfigureAwait(false);
        await WaitRoleAsync(primary: true, cancellationToken).ConfigureAwait(false);
        cluster.MakePrimary(this);
    }

    /// <summary>Runs the rejoin command and waits until the node is in recovery again, streaming from the current primary.</summary>
    public async Task RejoinAsync(CancellationToken cancellationToken = default)
    {
        using var acting = cluster.Acting();
        await RunAsync(TargetCommands.Rejoin, cancellationToken).ConfigureAwait(false);
        await WaitRoleAsync(primary: false, cancellationToken).ConfigureAwait(false);
        Upstream = cluster.Primary;
        running = true;
    }

    /// <summary>The status over the admin connection, with the standbys' application names turned into node names.</summary>
    public async Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var status = await NodeSql.StatusAsync(this, cancellationToken).ConfigureAwait(false);
        return status with { Replication = [.. status.Replication.Select(r => r with { ApplicationName = cluster.NodeNameOf(r.ApplicationName) })] };
    }

    /// <summary>pg_is_in_recovery() and the timeline, or null when the node does not answer in time.</summary>
    internal async Task<(bool InRecovery, int Timeline)?> ReadRoleAsync(CancellationToken cancellationToken)
    {
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answer.CancelAfter(AnswerTimeout);
        try
        {
            var status = await NodeSql.StatusAsync(this, answer.Token).ConfigureAwait(false);
            return (status.Role == NodeRole.Replica, status.Timeline);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    internal void MarkPrimary() => Upstream = null;

    private Task RunAsync(string command, CancellationToken cancellationToken)
    {
        var template = Spec.Commands.TryGetValue(command, out var line)
            ? line
            : throw new InvalidOperationException($"{Name} has no {command} command in {cluster.Target.File}");
        return TargetCommandLine.RunAsync(command, Name, TargetCommandLine.Expand(template, Name, Spec.Variables), cancellationToken);
    }

    private async Task WaitAnswersAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + cluster.ReadyTimeout;
        while (await ReadRoleAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not answer on its admin connection within {cluster.ReadyTimeout.TotalSeconds:0} s of its command");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WaitRoleAsync(bool primary, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + cluster.ReadyTimeout;
        while (await ReadRoleAsync(cancellationToken).ConfigureAwait(false) is not { } role || role.InRecovery == primary)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} was not {(primary ? "a primary" : "in recovery")} within {cluster.ReadyTimeout.TotalSeconds:0} s of its command");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static LinkEndpoint EndpointOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new LinkEndpoint(builder.Host ?? "127.0.0.1", builder.Port);
    }
}
