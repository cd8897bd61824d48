using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Target;
using ChaosPg.Runner.Orchestration;
using ChaosPg.Runner.Scenarios;
using ChaosPg.Runner.Targets;
using ChaosPg.Runner.Targets.Kubernetes;
using k8s;
using k8s.Models;

namespace ChaosPg.Runner.Tests.Targets;

/// <summary>
/// The generator of <c>chaospg target from-kubernetes</c> on the objects of a CloudNativePG cluster as the API returns
/// them. The objects (Fixtures/cnpg/*.json) are recorded by hand, not captured from a live cluster: see the README there.
/// </summary>
public class CloudNativePgTargetTests
{
    private const string File = "pg-main.target.yaml";

    [Test]
    public void The_written_file_parses_and_names_the_current_primary_primary_and_the_other_instances_by_serial()
    {
        var generated = CloudNativePgTarget.Generate(Recorded(), File, KubernetesAccess.PortForward);

        var parsed = TargetParser.Parse(generated.Text, File);

        Assert.That(parsed.Errors, Is.Empty, generated.Text);
        var target = parsed.Target!;
        Assert.That(target.Nodes.Select(n => (n.Name, n.ApplicationName)), Is.EqualTo(new[] { ("primary", "pg-main-2"), ("replica1", "pg-main-1"), ("replica2", "pg-main-3") }), "the initdb job's pod is not an instance");
        Assert.That(target.Node("replica1")!.Client, Is.EqualTo(new TargetConnection("Host=127.0.0.1;Port=15433;Username=shop;Database=shop", "CNPG_PG_MAIN_APP_PASSWORD")));
        Assert.That(target.Node("replica1")!.Admin, Is.EqualTo(new TargetConnection("Host=127.0.0.1;Port=15433;Username=postgres;Database=shop", "CNPG_PG_MAIN_SUPERUSER_PASSWORD")));
        Assert.That(target.OwnershipConfirmed, Is.False, "the ownership flag is the user's to give");
        Assert.That(target.Toxiproxy, Is.Null);
    }

    [Test]
    public void The_commands_delete_wait_for_freeze_and_promote_the_nodes_pod_with_kubectl()
    {
        var target = TargetParser.Parse(CloudNativePgTarget.Generate(Recorded(), File, KubernetesAccess.PortForward).Text, File).GetTargetOrThrow();
        var replica2 = target.Node("replica2")!;

        string Expanded(string command) => TargetCommandLine.Expand(replica2.Commands[command], replica2.Name, replica2.Variables);

        Assert.That(Expanded(TargetCommands.Kill), Is.EqualTo("kubectl delete pod -n db pg-main-3 --grace-period=0 --force --wait=false"));
        Assert.That(Expanded(TargetCommands.Start), Does.EndWith("kubectl wait -n db --for=condition=Ready pod/pg-main-3 --timeout=110s"));
        Assert.That(Expanded(TargetCommands.Promote), Is.EqualTo("kubectl cnpg promote -n db pg-main pg-main-3"));
        Assert.That(Expanded(TargetCommands.Pause), Does.StartWith("kubectl exec -n db pg-main-3 -c postgres -- sh -c '").And.Contain("= postgres ] && kill -STOP ${p#/proc/}"));
        Assert.That(Expanded(TargetCommands.Resume), Does.Contain("kill -CONT ${p#/proc/}"));
        Assert.That(replica2.Has(TargetCommands.Restart) || replica2.Has(TargetCommands.Rejoin), Is.False, "the operator rejoins a deposed primary on its own");
    }

    [Test]
    public void The_header_says_where_the_passwords_are_and_how_to_reach_the_pods_without_any_secret_value()
    {
        var text = CloudNativePgTarget.Generate(Recorded(), File, KubernetesAccess.PortForward).Text;

        Assert.That(text, Does.Contain("export CNPG_PG_MAIN_APP_PASSWORD=\"$(kubectl get secret -n db pg-main-shop -o jsonpath='{.data.password}' | base64 -d)\""));
        Assert.That(text, Does.Contain("kubectl get secret -n db pg-main-superuser"), "the superuser secret's default name");
        Assert.That(text, Does.Contain("kubectl port-forward -n db pod/pg-main-2 15432:5432").And.Contain("pod/pg-main-3 15434:5432"));
        Assert.That(text, Does.Contain("Services for applications: pg-main-rw, pg-main-ro, pg-main-r"));
        Assert.That(text, Does.Not.Contain("Password=").And.Not.Contain("password:"));
    }

    [Test]
    public void In_the_cluster_each_pod_is_reached_by_its_name_under_the_headless_any_service()
    {
        var target = CloudNativePgTarget.Generate(Recorded(), File, KubernetesAccess.InCluster).Target;

        Assert.That(target.Nodes.Select(n => n.Admin.ConnectionString.Split(';')[0] + ";" + n.Admin.ConnectionString.Split(';')[1]), Is.EqualTo(new[]
        {
            "Host=pg-main-2.pg-main-any.db.svc;Port=5432",
            "Host=pg-main-1.pg-main-any.db.svc;Port=5432",
            "Host=pg-main-3.pg-main-any.db.svc;Port=5432",
        }));
    }

    [Test]
    public void Without_the_any_service_pods_are_reached_by_IP_and_the_header_warns_that_a_kill_may_change_it()
    {
        var objects = Recorded();
        objects = objects with { Services = [.. objects.Services.Where(s => s.Metadata.Name != "pg-main-any")] };

        var generated = CloudNativePgTarget.Generate(objects, File, KubernetesAccess.InCluster);

        Assert.That(generated.Target.Node("primary")!.Client.ConnectionString, Does.StartWith("Host=10.244.2.9;Port=5432;"));
        Assert.That(generated.Text, Does.Contain("connected by pod IP, which a pod made again after a kill may not keep"));
    }

    [Test]
    public async Task The_target_fits_a_replica_kill_and_a_pause_and_refuses_a_rejoin_and_a_partition_naming_what_is_missing()
    {
        var target = TargetParser.Parse(CloudNativePgTarget.Generate(Recorded(), File, KubernetesAccess.PortForward).Text, File).GetTargetOrThrow();
        var catalog = ScenarioCatalog.FindDefaultDirectory(TestContext.CurrentContext.TestDirectory)!;

        async Task<string[]> Problems(string name) =>
            [.. TargetCompatibility.Check(await ScenarioParser.LoadAsync(Path.Combine(catalog, name + ".yaml")), name + ".yaml", target, ownershipFlag: true)];

        Assert.That(await Problems("replica-kill-restart"), Is.Empty);
        var pause = ScenarioParser.Parse(
            "name: p\ndescription: d\ncluster:\n  replicas: 2\nworkload:\n  kind: bank\n  writers: 1\nduration: 20s\nschedule:\n  - at: 3s\n    fault: pause\n    target: replica2\n    for: 5s\n",
            "p.yaml").GetScenarioOrThrow();
        Assert.That(TargetCompatibility.Check(pause, "p.yaml", target, ownershipFlag: true), Is.Empty);
        Assert.That(await Problems("failover-rejoin-converges"), Has.Some.Contains("needs nodes.primary.commands.rejoin in pg-main.target.yaml"));
        Assert.That(await Problems("split-brain-paused-primary"), Has.One.Contains("needs toxiproxy.url and toxiproxy.links for replica1->primary"), "no Toxiproxy in front of a CloudNativePG cluster: link faults are refused");
    }

    [TestCase("status", "currentPrimary", null, "has no status.currentPrimary yet")]
    [TestCase("spec", "enableSuperuserAccess", false, "has spec.enableSuperuserAccess off")]
    [TestCase("status", "currentPrimary", "pg-main-7", "its current primary pg-main-7 is not among its instance pods (pg-main-1, pg-main-3, pg-main-2)")]
    public void A_cluster_the_runner_cannot_judge_is_one_line_naming_the_field_and_the_fix(string section, string key, object? value, string expected)
    {
        var cluster = JsonNode.Parse(Fixture("cluster.json"))!;
        if (value is null)
        {
            cluster[section]!.AsObject().Remove(key);
        }
        else
        {
            cluster[section]![key] = JsonValue.Create(value);
        }

        var objects = Recorded() with { Cluster = JsonSerializer.SerializeToElement(cluster) };

        var error = Assert.Throws<ClusterConfigurationException>(() => CloudNativePgTarget.Generate(objects, File, KubernetesAccess.PortForward))!;
        Assert.That(error.Message, Does.StartWith("CloudNativePG cluster db/pg-main").And.Contain(expected));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void An_object_that_is_not_a_CloudNativePG_Cluster_is_refused()
    {
        var objects = Recorded() with { Cluster = JsonDocument.Parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}").RootElement };

        Assert.That(() => CloudNativePgTarget.Generate(objects, File, KubernetesAccess.PortForward), Throws.TypeOf<ClusterConfigurationException>().With.Message.EqualTo("the object is a Pod of v1, not a CloudNativePG Cluster (postgresql.cnpg.io/v1)"));
    }

    private static CloudNativePgObjects Recorded() => new(
        JsonDocument.Parse(Fixture("cluster.json")).RootElement,
        [.. KubernetesJson.Deserialize<V1PodList>(Fixture("pods.json")).Items],
        [.. KubernetesJson.Deserialize<V1ServiceList>(Fixture("services.json")).Items]);

    private static string Fixture(string name) => System.IO.File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "cnpg", name));
}
