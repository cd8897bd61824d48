using ChaosPg.Cluster.Providers;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Tests.Providers;

/// <summary>What the built backends, network mode and manager say before anything starts (no server is started).</summary>
public sealed class DefaultPartsTests
{
    private static readonly ClusterProvider Provider = ClusterProvider.Default;

    [Test]
    public void The_default_request_is_local_processes_links_through_the_embedded_proxy_and_no_manager()
    {
        var facts = Provider.Plan(new ClusterRequest(ClusterSpec.CreateBuilder().Build()));

        Assert.That(facts, Is.EqualTo(new ClusterFacts("local", "proxy", "none") { ProxyKind = ToxiproxyKind.Embedded }));
    }

    [Test]
    public void A_toxiproxy_url_makes_the_planned_proxy_external()
    {
        var facts = Provider.Plan(new ClusterRequest(ClusterSpec.CreateBuilder().Build()) { ToxiproxyUrl = new Uri("http://127.0.0.1:8474/") });

        Assert.That(facts.ProxyKind, Is.EqualTo(ToxiproxyKind.External));
    }

    [Test]
    public void The_docker_backend_plans_its_proxy_container_and_records_both_images()
    {
        var facts = Provider.Plan(new ClusterRequest(ClusterSpec.CreateBuilder().Build()) { Backend = "docker", PgImage = "postgres:17", ToxiproxyImage = "chaospg/toxiproxy" });

        Assert.That(facts, Is.EqualTo(new ClusterFacts("docker", "proxy", "none") { ProxyKind = ToxiproxyKind.Container, PgImage = "postgres:17", ToxiproxyImage = "chaospg/toxiproxy" }));
    }

    [Test]
    public void The_docker_backend_in_the_kernel_mode_plans_no_proxy_and_records_only_the_postgresql_image()
    {
        var facts = Provider.Plan(new ClusterRequest(ClusterSpec.CreateBuilder().Build()) { Backend = "docker", Network = "kernel", PgImage = "postgres:17", ToxiproxyImage = "chaospg/toxiproxy" });

        Assert.That(facts, Is.EqualTo(new ClusterFacts("docker", "kernel", "none") { PgImage = "postgres:17" }));
    }

    [Test]
    public async Task Local_preflight_names_a_pg_bin_without_postgres_and_how_to_fix_it()
    {
        var request = new ClusterRequest(ClusterSpec.CreateBuilder().WithPgBinDirectory("/nonexistent/pg/bin").Build());

        var problems = await Provider.PreflightAsync(request);

        Assert.That(problems, Has.Some.EqualTo("--pg-bin /nonexistent/pg/bin has no 'postgres' executable; give the bin directory of a PostgreSQL installation."));
        Assert.That(problems.All(p => !p.Contains('\n', StringComparison.Ordinal)), Is.True, "one line each");
    }

    [Test]
    [NonParallelizable]
    public async Task Docker_preflight_without_a_daemon_is_one_line_that_says_to_start_dockerd()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"chaospg-nodocker-{Guid.NewGuid():N}");
        var saved = Environment.GetEnvironmentVariable("DOCKER_HOST");
        Environment.SetEnvironmentVariable("DOCKER_HOST", $"unix://{directory}/no-docker.sock");
        try
        {
            var problems = await Provider.PreflightAsync(new ClusterRequest(ClusterSpec.CreateBuilder().Build()) { Backend = "docker" });

            Assert.That(problems, Has.Length.EqualTo(1));
            Assert.That(problems[0], Does.Contain("no Docker daemon").And.Contain("no-docker.sock").And.Contain("start dockerd"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_HOST", saved);
        }
    }

    [Test]
    public async Task Doctor_sees_the_local_backend_the_proxy_and_each_manager_with_what_each_found()
    {
        var reports = await Provider.DescribeAsync(new ClusterRequest(ClusterSpec.CreateBuilder().WithPgBinDirectory("/nonexistent/pg/bin").Build()));

        var local = reports.Single(r => r.Axis == ClusterAxis.Backend && r.Name == "local");
        Assert.That(local.Findings, Has.Some.Matches<AxisFinding>(f => f.Status == FindingStatus.Missing && f.Text.StartsWith("postgresql: --pg-bin /nonexistent/pg/bin", StringComparison.Ordinal)));
        Assert.That(reports.Select(r => $"{r.Axis} {r.Name}"), Is.EqualTo(new[] { "Backend local", "Backend docker", "Backend target", "Network proxy", "Network kernel", "Manager none", "Manager patroni", "Manager repmgr" }));
        Assert.That(reports.Single(r => r.Name == "proxy").Findings.Single().Text, Does.StartWith("toxiproxy: "));
        // Either found with the version it reports, or missing with the apt command; never silent.
        Assert.That(reports.Single(r => r.Name == "patroni").Findings.Select(f => f.Text), Has.Exactly(2).Matches<string>(t =>
            System.Text.RegularExpressions.Regex.IsMatch(t, @"^(patroni|etcd)( \d+\.\d+\.\d+|: not on PATH; install it: apt-get install .+)$")));
    }
}
