using System.Net;
using System.Text.Json;
using ChaosPg.Cluster;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;

namespace ChaosPg.Runner.Targets.Kubernetes;

/// <summary>
/// The thin layer between <see cref="CloudNativePgTarget"/> and a live API: reads a Cluster, its pods and the
/// namespace's services with the official client, configured as kubectl is (KUBECONFIG, ~/.kube/config, or the
/// pod's service account). Secrets are never read. Every failure is one line a user can act on.
/// </summary>
public static class KubernetesObjectsReader
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The objects of the CloudNativePG cluster <paramref name="cluster"/> in <paramref name="ns"/>.</summary>
    /// <exception cref="ClusterConfigurationException">No configuration, an API that does not answer, no such Cluster, or RBAC that forbids a read.</exception>
    public static async Task<CloudNativePgObjects> ReadAsync(string ns, string cluster, CancellationToken cancellationToken = default)
    {
        var config = Configuration();
        using var client = new k8s.Kubernetes(config);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(RequestTimeout);
        var what = $"clusters.postgresql.cnpg.io {cluster}";
        try
        {
            var found = await client.CustomObjects.GetNamespacedCustomObjectAsync("postgresql.cnpg.io", "v1", ns, "clusters", cluster, limit.Token).ConfigureAwait(false);
            var clusterObject = found is JsonElement element ? element : JsonSerializer.SerializeToElement(found);
            what = "pods";
            var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"cnpg.io/cluster={cluster}", cancellationToken: limit.Token).ConfigureAwait(false);
            what = "services";
            var services = await client.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: limit.Token).ConfigureAwait(false);
            return new CloudNativePgObjects(clusterObject, [.. pods.Items], [.. services.Items]);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ClusterConfigurationException(what.StartsWith("clusters", StringComparison.Ordinal)
                ? $"no CloudNativePG Cluster {cluster} in namespace {ns} at {config.Host} (kubectl get clusters.postgresql.cnpg.io -n {ns} lists them)"
                : $"the Kubernetes API at {config.Host} has no {what} in namespace {ns}");
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new ClusterConfigurationException($"the Kubernetes API at {config.Host} refused to list {what} in namespace {ns} ({(int)e.Response.StatusCode}): give the user the Role of docs/targets.md (get/list pods, services, clusters.postgresql.cnpg.io)");
        }
        catch (HttpOperationException e)
        {
            throw new ClusterConfigurationException($"the Kubernetes API at {config.Host} answered {(int)e.Response.StatusCode} to reading {what} in namespace {ns}");
        }
        catch (HttpRequestException e)
        {
            throw new ClusterConfigurationException($"the Kubernetes API at {config.Host} does not answer ({e.Message}); check the kubeconfig's current context (kubectl cluster-info)");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClusterConfigurationException($"the Kubernetes API at {config.Host} did not answer within {RequestTimeout.TotalSeconds:0} s; check the kubeconfig's current context (kubectl cluster-info)");
        }
    }

    // As kubectl finds it; without any, the client would quietly try http://localhost:8080.
    private static KubernetesClientConfiguration Configuration()
    {
        var file = Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable
            ? variable.Split(':', StringSplitOptions.RemoveEmptyEntries)[0]
            : KubernetesClientConfiguration.KubeConfigDefaultLocation;
        if (!File.Exists(file) && !KubernetesClientConfiguration.IsInCluster())
        {
            throw new ClusterConfigurationException($"no kubeconfig at {file} and not in a pod with a service account: set KUBECONFIG or write ~/.kube/config (kubectl config view shows what kubectl uses)");
        }

        try
        {
            return KubernetesClientConfiguration.BuildDefaultConfig();
        }
        catch (KubeConfigException e)
        {
            throw new ClusterConfigurationException($"the kubeconfig {file} cannot be used: {e.Message}");
        }
    }
}
