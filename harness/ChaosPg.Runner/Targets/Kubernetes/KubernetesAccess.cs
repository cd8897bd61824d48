namespace ChaosPg.Runner.Targets.Kubernetes;

/// <summary>How the runner reaches a Kubernetes cluster's pods from where it runs.</summary>
public enum KubernetesAccess
{
    /// <summary>From a pod in the cluster: each pod by its DNS name under the cluster's headless <c>-any</c> service, else its IP.</summary>
    InCluster,

    /// <summary>From outside: each pod through a <c>kubectl port-forward</c> to a local port on 127.0.0.1.</summary>
    PortForward,
}
