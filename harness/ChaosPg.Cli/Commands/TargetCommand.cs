using System.CommandLine;
using ChaosPg.Runner.Targets;
using ChaosPg.Runner.Targets.Kubernetes;

namespace ChaosPg.Cli.Commands;

/// <summary><c>chaospg target from-kubernetes</c>: writes a target file for a CloudNativePG cluster from its Kubernetes objects.</summary>
public static class TargetCommand
{
    public static Command Create()
    {
        var ns = new Option<string>("--namespace") { Description = "The Cluster's namespace.", Required = true };
        var cluster = new Option<string>("--cluster") { Description = "The CloudNativePG Cluster's name (kubectl get clusters.postgresql.cnpg.io).", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the target file here (default: standard output)." };
        var access = new Option<string>("--access")
        {
            Description = "How the runner reaches the pods: port-forward (from outside, 127.0.0.1 ports) or in-cluster (from a pod).",
            DefaultValueFactory = _ => "port-forward",
        };
        access.AcceptOnlyFromAmong("port-forward", "in-cluster");
        var localPort = new Option<int>("--local-port")
        {
            Description = "With --access port-forward, the primary's local port; the replicas' follow it.",
            DefaultValueFactory = _ => CloudNativePgTarget.DefaultLocalPortBase,
        };
        var fromKubernetes = new Command("from-kubernetes", "Write a target file for a CloudNativePG cluster from its Cluster, pods and services (read with your kubeconfig; secrets are never read).")
        {
            ns, cluster, output, access, localPort,
        };
        fromKubernetes.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(async () =>
        {
            var file = parseResult.GetValue(output);
            var firstPort = parseResult.GetValue(localPort);
            if (firstPort is < 1 or > 65535 - CloudNativePgTarget.MaxNodes)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"chaospg: --local-port {firstPort} is not a port that leaves room for every node; expected 1 to {65535 - CloudNativePgTarget.MaxNodes}").ConfigureAwait(false);
                return CommandErrors.EnvironmentError;
            }

            var objects = await KubernetesObjectsReader.ReadAsync(parseResult.GetValue(ns)!, parseResult.GetValue(cluster)!, cancellationToken).ConfigureAwait(false);
            var generated = CloudNativePgTarget.Generate(
                objects,
                file ?? "the written target file",
                parseResult.GetValue(access) == "in-cluster" ? KubernetesAccess.InCluster : KubernetesAccess.PortForward,
                firstPort);

            // What is written must read back: a generator bug is caught here, not at the first run.
            var text = generated.Text;
            if (TargetParser.Parse(text, file ?? "<stdout>").Errors is { IsEmpty: false } errors)
            {
                throw new InvalidOperationException("the generated target file does not parse: " + string.Join("; ", errors));
            }

            if (file is null)
            {
                await parseResult.InvocationConfiguration.Output.WriteAsync(text).ConfigureAwait(false);
            }
            else
            {
                await File.WriteAllTextAsync(file, text, cancellationToken).ConfigureAwait(false);
                await parseResult.InvocationConfiguration.Output.WriteLineAsync($"wrote {file}: {string.Join(", ", generated.Target.Nodes.Select(n => $"{n.Name} = {n.ApplicationName}"))}; add i-own-this-cluster: true once you are sure").ConfigureAwait(false);
            }

            return 0;
        }));
        return new Command("target", "Target files for clusters ChaosPg did not start (docs/targets.md).") { fromKubernetes };
    }
}
