using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Targets;

/// <summary>
/// <c>chaospg target from-kubernetes</c> where no Kubernetes API can be had: one line naming what is missing, exit 2,
/// no file written. (The generator itself is tested on recorded objects in the Runner's tests.)
/// </summary>
public class TargetFromKubernetesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private string directory = string.Empty;

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), $"chaospg-kube-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task Without_a_kubeconfig_it_exits_2_with_one_line_that_says_where_it_looked()
    {
        var output = Path.Combine(directory, "t.yaml");

        var (code, _, error) = await ChaospgProcess.RunAsync(
            Deadline,
            ["target", "from-kubernetes", "--namespace", "db", "--cluster", "pg-main", "--out", output],
            environment: new Dictionary<string, string> { ["HOME"] = directory, ["KUBECONFIG"] = string.Empty, ["KUBERNETES_SERVICE_HOST"] = string.Empty });

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo($"chaospg: no kubeconfig at {Path.Combine(directory, ".kube", "config")} and not in a pod with a service account: set KUBECONFIG or write ~/.kube/config (kubectl config view shows what kubectl uses)"));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public async Task With_an_API_that_does_not_answer_it_exits_2_with_one_line_naming_the_server()
    {
        var kubeconfig = Path.Combine(directory, "config");
        var port = ChaosPg.Toxiproxy.LoopbackPorts.Free();
        await File.WriteAllTextAsync(kubeconfig, $"apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://127.0.0.1:{port}\n  name: c\ncontexts:\n- context:\n    cluster: c\n    user: u\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user:\n    token: not-a-secret\n");

        var (code, _, error) = await ChaospgProcess.RunAsync(
            Deadline,
            ["target", "from-kubernetes", "--namespace", "db", "--cluster", "pg-main"],
            environment: new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig });

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith($"chaospg: the Kubernetes API at https://127.0.0.1:{port}/ does not answer").Or.StartWith($"chaospg: the Kubernetes API at https://127.0.0.1:{port} does not answer"));
    }
}
