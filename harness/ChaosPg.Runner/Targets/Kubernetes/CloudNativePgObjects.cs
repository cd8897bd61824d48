using System.Text.Json;
using k8s.Models;

namespace ChaosPg.Runner.Targets.Kubernetes;

/// <summary>
/// What <see cref="CloudNativePgTarget"/> reads of a CloudNativePG cluster, as the Kubernetes API returns it: the
/// <c>Cluster</c> object (postgresql.cnpg.io/v1) and the pods and services of its namespace. No secret is among them:
/// the secrets' names come from the Cluster's spec, and their values are never read.
/// </summary>
/// <param name="Cluster">The Cluster object as JSON (a custom resource: the client has no type for it).</param>
/// <param name="Pods">The pods labelled <c>cnpg.io/cluster=&lt;name&gt;</c>.</param>
/// <param name="Services">The services of the namespace.</param>
public sealed record CloudNativePgObjects(JsonElement Cluster, IReadOnlyList<V1Pod> Pods, IReadOnlyList<V1Service> Services);
