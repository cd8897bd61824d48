using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Target;
using ChaosPg.Core.Schedule;
using k8s.Models;

namespace ChaosPg.Runner.Targets.Kubernetes;

/// <summary>
/// Writes a target for a CloudNativePG cluster from its objects alone (a pure function, tested on recorded objects):
/// one node per instance pod, the node named primary being the Cluster's <c>status.currentPrimary</c>; connections
/// to each pod (the checkers must know which node answered, which the <c>-rw</c>/<c>-ro</c>/<c>-r</c> services
/// hide), passwords from variables named after the Cluster's secrets; kill, start, pause, resume and promote with
/// kubectl and the cnpg plugin. The ownership key is left for the user to add.
/// </summary>
public static class CloudNativePgTarget
{
    /// <summary>The port every CloudNativePG instance serves PostgreSQL on.</summary>
    public const int ServerPort = 5432;

    /// <summary>The first local port of <see cref="KubernetesAccess.PortForward"/>: the primary's; the replicas' follow.</summary>
    public const int DefaultLocalPortBase = 15432;

    /// <summary>The most nodes a target has: the primary and replica1 to replica5.</summary>
    public const int MaxNodes = NodeNames.MaxReplicas + 1;

    private const string ClusterLabel = "cnpg.io/cluster";
    private const string InstanceLabel = "cnpg.io/instanceName";
    private const string ApiGroup = "postgresql.cnpg.io/";

    // The services the operator makes for every Cluster: the primary, the replicas, any instance.
    private static readonly ImmutableArray<string> ServiceSuffixes = ["rw", "ro", "r"];

    /// <summary>Commands every node shares; its pod, namespace and cluster are its placeholders.</summary>
    private static readonly ImmutableDictionary<string, string> Commands = new Dictionary<string, string>
    {
        // Deleted at once, no graceful shutdown: CloudNativePG makes the pod again on the same volume.
        [TargetCommands.Kill] = "kubectl delete pod -n {namespace} {pod} --grace-period=0 --force --wait=false",
        // The operator recreates the pod; returns once it is Ready (the harness also polls its admin connection).
        [TargetCommands.Start] = "until kubectl get pod -n {namespace} {pod} >/dev/null 2>&1; do sleep 1; done; kubectl wait -n {namespace} --for=condition=Ready pod/{pod} --timeout=110s",
        // SIGSTOP/SIGCONT to every postgres process of the pod's postgres container (found by /proc/*/comm: the image
        // has a shell, not necessarily pgrep); the instance manager, PID 1, keeps running.
        [TargetCommands.Pause] = Signal("STOP"),
        [TargetCommands.Resume] = Signal("CONT"),
        [TargetCommands.Promote] = "kubectl cnpg promote -n {namespace} {cluster} {pod}",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The target for the objects; <paramref name="file"/> names it in later messages.</summary>
    /// <exception cref="ClusterConfigurationException">The objects are not a CloudNativePG cluster the runner can judge (one line: what and how to fix it).</exception>
    public static GeneratedTarget Generate(CloudNativePgObjects objects, string file, KubernetesAccess access, int localPortBase = DefaultLocalPortBase)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var cluster = objects.Cluster;
        var apiVersion = Text(cluster, "apiVersion");
        if (Text(cluster, "kind") != "Cluster" || apiVersion?.StartsWith(ApiGroup, StringComparison.Ordinal) != true)
        {
            throw new ClusterConfigurationException($"the object is a {Text(cluster, "kind") ?? "?"} of {apiVersion ?? "?"}, not a CloudNativePG Cluster (postgresql.cnpg.io/v1)");
        }

        var name = Text(cluster, "metadata", "name") ?? throw new ClusterConfigurationException("the Cluster object has no metadata.name");
        var ns = Text(cluster, "metadata", "namespace") ?? "default";
        var where = $"CloudNativePG cluster {ns}/{name}";
        if (Bool(cluster, "spec", "enableSuperuserAccess") != true)
        {
            throw new ClusterConfigurationException($"{where} has spec.enableSuperuserAccess off: the target's admin connections need a superuser (status, snapshots); set spec.enableSuperuserAccess: true (CloudNativePG then keeps its password in a secret)");
        }

        var currentPrimary = Text(cluster, "status", "currentPrimary")
            ?? throw new ClusterConfigurationException($"{where} has no status.currentPrimary yet: wait until `kubectl cnpg status -n {ns} {name}` shows a primary, then run this again");
        var pods = objects.Pods
            .Where(p => p.Metadata?.Labels is { } labels && labels.TryGetValue(ClusterLabel, out var owner) && owner == name && labels.ContainsKey(InstanceLabel) && p.Metadata.DeletionTimestamp is null)
            .ToList();
        var primaryPod = pods.FirstOrDefault(p => p.Metadata.Name == currentPrimary)
            ?? throw new ClusterConfigurationException($"{where}: its current primary {currentPrimary} is not among its instance pods ({Names(pods)}); run this again once the pod exists");
        var replicaPods = pods.Where(p => p != primaryPod).OrderBy(p => Serial(p.Metadata.Name)).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        if (replicaPods.Count > NodeNames.MaxReplicas)
        {
            throw new ClusterConfigurationException($"{where} has {replicaPods.Count} replicas; a target has at most {NodeNames.MaxReplicas} (replica1 to replica{NodeNames.MaxReplicas})");
        }

        var database = Text(cluster, "spec", "bootstrap", "initdb", "database") ?? "app";
        var owner = Text(cluster, "spec", "bootstrap", "initdb", "owner") ?? database;
        var appSecret = Text(cluster, "spec", "bootstrap", "initdb", "secret", "name") ?? $"{name}-app";
        var superuserSecret = Text(cluster, "spec", "superuserSecret", "name") ?? $"{name}-superuser";
        var appVariable = $"{VariablePrefix(name)}_APP_PASSWORD";
        var superuserVariable = $"{VariablePrefix(name)}_SUPERUSER_PASSWORD";
        var serviceNames = objects.Services.Select(s => s.Metadata?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (!serviceNames.Contains($"{name}-rw"))
        {
            throw new ClusterConfigurationException($"{where} has no service {name}-rw in its namespace: the operator makes it for every Cluster; check the namespace and the name (kubectl get svc -n {ns})");
        }

        var header = ImmutableArray.CreateBuilder<string>();
        header.Add($"Written by `chaospg target from-kubernetes --namespace {ns} --cluster {name}` from the objects of the {where}"
            + (Text(cluster, "spec", "imageName") is { } image ? $" (image {image})." : "."));
        var nodes = ImmutableArray.CreateBuilder<TargetNodeSpec>();
        var forwards = new List<string>();
        var byIp = new List<string>();
        List<V1Pod> ordered = [primaryPod, .. replicaPods];
        for (var index = 0; index < ordered.Count; index++)
        {
            var pod = ordered[index];
            var nodeName = index == 0 ? NodeNames.Primary : NodeNames.Replica(index);
            var host = access == KubernetesAccess.PortForward ? "127.0.0.1" : InClusterHost(pod, ns, serviceNames, where, byIp);
            var port = access == KubernetesAccess.PortForward ? localPortBase + index : ServerPort;
            if (access == KubernetesAccess.PortForward)
            {
                forwards.Add($"  while true; do kubectl port-forward -n {ns} pod/{pod.Metadata.Name} {port}:{ServerPort}; sleep 1; done &");
            }

            string Connection(string user) => string.Create(CultureInfo.InvariantCulture, $"Host={host};Port={port};Username={user};Database={database}");
            nodes.Add(new TargetNodeSpec(
                nodeName,
                new TargetConnection(Connection(owner), appVariable),
                new TargetConnection(Connection("postgres"), superuserVariable),
                pod.Metadata.Name,
                Commands,
                ImmutableDictionary.CreateRange<string, string>(StringComparer.Ordinal, [new("namespace", ns), new("cluster", name), new("pod", pod.Metadata.Name)])));
        }

        header.Add($"Nodes: {string.Join(", ", nodes.Select(n => $"{n.Name} = pod {n.ApplicationName}"))} (primary: status.currentPrimary); a run starts on the current primary, so write this again after a failover.");
        header.Add("Passwords come from the environment, never from this file; the runner never reads a secret. Before a run:");
        header.Add($"  export {appVariable}=\"$(kubectl get secret -n {ns} {appSecret} -o jsonpath='{{.data.password}}' | base64 -d)\"");
        header.Add($"  export {superuserVariable}=\"$(kubectl get secret -n {ns} {superuserSecret} -o jsonpath='{{.data.password}}' | base64 -d)\"");
        header.Add($"Services for applications: {string.Join(", ", ServiceSuffixes.Select(s => $"{name}-{s}").Where(serviceNames.Contains))}; the nodes below connect to each pod, since the checkers must know which node answered.");
        if (forwards.Count > 0)
        {
            header.Add("Reach the pods from here with one port-forward each, restarted when a kill deletes its pod:");
            header.AddRange(forwards);
        }

        if (byIp.Count > 0)
        {
            header.Add($"No headless -any service for {string.Join(", ", byIp)}: connected by pod IP, which a pod made again after a kill may not keep; prefer --access port-forward for kill scenarios.");
        }

        header.Add("Commands: kill deletes the pod at once (the operator makes it again), start waits until it is Ready, pause/resume send SIGSTOP/SIGCONT to its postgres processes, promote is the cnpg plugin's. No restart or rejoin (the operator rejoins a deposed primary itself): scenarios that need one are refused.");
        header.Add("Not confirmed for you: add `i-own-this-cluster: true` (or pass --i-own-this-cluster) once you are sure this cluster may be killed.");
        return new GeneratedTarget(new TargetSpec(file, nodes.ToImmutable(), null, null, TargetSpec.DefaultSchemaPrefix, false), header.ToImmutable());
    }

    private static string Signal(string signal) =>
        "kubectl exec -n {namespace} {pod} -c postgres -- sh -c 'for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = postgres ] && kill -" + signal + " ${p#/proc/}; done; true'";

    // The pod's stable DNS name under the headless -any service when the operator made one, else its current IP.
    private static string InClusterHost(V1Pod pod, string ns, HashSet<string> services, string where, List<string> byIp)
    {
        if (pod.Spec?.Subdomain is { Length: > 0 } subdomain && services.Contains(subdomain))
        {
            return $"{pod.Spec.Hostname ?? pod.Metadata.Name}.{subdomain}.{ns}.svc";
        }

        byIp.Add(pod.Metadata.Name);
        return pod.Status?.PodIP ?? throw new ClusterConfigurationException($"{where}: pod {pod.Metadata.Name} has no IP yet and no headless service; wait until it runs, or use --access port-forward");
    }

    private static string Names(IEnumerable<V1Pod> pods) => string.Join(", ", pods.Select(p => p.Metadata.Name).DefaultIfEmpty("none"));

    // Instance pods are <cluster>-<serial>: replica1 is the lowest serial after the primary's.
    private static int Serial(string pod) =>
        int.TryParse(pod[(pod.LastIndexOf('-') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var serial) ? serial : int.MaxValue;

    private static string VariablePrefix(string cluster)
    {
        var prefix = new StringBuilder("CNPG_");
        foreach (var c in cluster)
        {
            prefix.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return prefix.ToString();
    }

    private static JsonElement? Path(JsonElement element, string[] path)
    {
        foreach (var key in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
            {
                return null;
            }
        }

        return element;
    }

    private static string? Text(JsonElement element, params string[] path) =>
        Path(element, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static bool? Bool(JsonElement element, params string[] path) =>
        Path(element, path) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;
}
