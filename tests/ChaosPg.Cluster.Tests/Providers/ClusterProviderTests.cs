using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Tests.Providers;

/// <summary>The provider's composition, with recording test doubles for the three axes (no server, no proxy).</summary>
public sealed class ClusterProviderTests
{
    private static readonly ClusterSpec Spec = ClusterSpec.CreateBuilder().WithReplicas(1).Build();

    private Journal journal = null!;

    [SetUp]
    public void CreateJournal() => journal = new Journal();

    [Test]
    public async Task Start_runs_the_network_then_the_manager_on_the_backend_and_passes_the_networks_router()
    {
        var provider = Provider(Registry());
        var phases = new List<string>();

        var provided = await provider.StartAsync(new ClusterRequest(Spec), phases.Add);
        await provided.DisposeAsync();

        Assert.That(journal.Entries, Is.EqualTo(new[]
        {
            "network proxy start for local",
            "manager none start on local",
            "backend local start (router from the network)",
            "dispose cluster",
            "dispose network's router",
        }));
        Assert.That(phases, Is.EqualTo(new[] { "starting local" }));
        Assert.That(provided.Notes, Is.EqualTo(new[] { "local note" }));
    }

    [Test]
    public async Task A_backend_with_its_own_proxy_gets_no_router_from_the_network_and_its_own_is_torn_down()
    {
        var registry = Registry().WithBackend(new RecordingBackend(journal, "docker", providesOwnProxy: true));

        var provided = await Provider(registry).StartAsync(new ClusterRequest(Spec) { Backend = "docker" });
        await provided.DisposeAsync();

        Assert.That(journal.Entries, Is.EqualTo(new[]
        {
            "network proxy start for docker",
            "manager none start on docker",
            "backend docker start (router none)",
            "dispose cluster",
            "dispose backend's own router",
        }));
    }

    [Test]
    public async Task Disposing_a_provided_cluster_twice_tears_down_once()
    {
        var provided = await Provider(Registry()).StartAsync(new ClusterRequest(Spec));

        await provided.DisposeAsync();
        await provided.DisposeAsync();

        Assert.That(journal.Entries.Count(e => e == "dispose cluster"), Is.EqualTo(1));
    }

    [Test]
    public void A_backend_that_fails_to_start_leaves_nothing_of_the_network_behind()
    {
        var registry = Registry().WithBackend(new RecordingBackend(journal) { StartFailure = new ClusterConfigurationException("no postgres") });

        var error = Assert.ThrowsAsync<ClusterConfigurationException>(() => Provider(registry).StartAsync(new ClusterRequest(Spec)));

        Assert.That(error!.Message, Is.EqualTo("no postgres"));
        Assert.That(journal.Entries[^1], Is.EqualTo("dispose network's router"));
    }

    [Test]
    public void The_facts_name_each_axis_and_take_what_the_parts_know_before_starting()
    {
        var facts = Provider(Registry()).Plan(new ClusterRequest(Spec));

        Assert.That(facts, Is.EqualTo(new ClusterFacts("local", "proxy", "none") { PgImage = "local-image" }));
    }

    [Test]
    public void A_network_mode_the_backend_cannot_carry_is_one_line_before_anything_starts()
    {
        var registry = Registry().WithNetwork(new RecordingNetwork(journal, "kernel"));

        var error = Assert.ThrowsAsync<ClusterConfigurationException>(() => Provider(registry).StartAsync(new ClusterRequest(Spec) { Network = "kernel" }));

        Assert.That(error!.Message, Is.EqualTo("network kernel is not available with backend local; that backend supports: proxy"));
        Assert.That(journal.Entries, Is.Empty);
    }

    [Test]
    public void A_manager_that_does_not_run_on_the_backend_is_one_line_before_anything_starts()
    {
        var registry = Registry()
            .WithBackend(new RecordingBackend(journal, "docker"))
            .WithManager(new RecordingManager(journal, "patroni", "local"));

        var error = Assert.ThrowsAsync<ClusterConfigurationException>(() => Provider(registry).StartAsync(new ClusterRequest(Spec) { Backend = "docker", Manager = "patroni" }));

        Assert.That(error!.Message, Is.EqualTo("manager patroni does not run on backend docker; choose another --backend"));
        Assert.That(journal.Entries, Is.Empty);
    }

    [Test]
    public void A_manager_not_built_yet_is_refused_by_start_with_the_not_available_line()
    {
        var error = Assert.ThrowsAsync<ClusterConfigurationException>(() => Provider(Registry()).StartAsync(new ClusterRequest(Spec) { Manager = "patroni" }));

        Assert.That(error!.Message, Is.EqualTo("manager patroni is not available yet in this version; available: none"));
        Assert.That(journal.Entries, Is.Empty);
    }

    [Test]
    public async Task Preflight_gathers_every_axis_problem_in_backend_network_manager_order()
    {
        var registry = ClusterProviderRegistry.Empty
            .WithBackend(new RecordingBackend(journal) { Problems = ["no postgres: apt-get install postgresql-15"] })
            .WithNetwork(new RecordingNetwork(journal) { Problems = ["no iptables"] })
            .WithManager(new RecordingManager(journal) { Problems = ["no patroni: apt-get install patroni"] });

        var problems = await Provider(registry).PreflightAsync(new ClusterRequest(Spec));

        Assert.That(problems, Is.EqualTo(new[] { "no postgres: apt-get install postgresql-15", "no iptables", "no patroni: apt-get install patroni" }));
        Assert.That(journal.Entries, Is.Empty, "preflight starts nothing");
    }

    [Test]
    public async Task Preflight_of_a_name_not_available_is_that_one_line_only()
    {
        var problems = await Provider(Registry()).PreflightAsync(new ClusterRequest(Spec) { Network = "kernel" });

        Assert.That(problems, Is.EqualTo(new[] { "network kernel is not available yet in this version; available: proxy" }));
    }

    [Test]
    public async Task Preflight_of_a_ready_request_is_empty()
    {
        Assert.That(await Provider(Registry()).PreflightAsync(new ClusterRequest(Spec)), Is.Empty);
    }

    [Test]
    public async Task Describe_reports_every_registered_part_by_axis_in_the_documented_order()
    {
        var registry = Registry().WithBackend(new RecordingBackend(journal, "docker"));

        var reports = await Provider(registry).DescribeAsync(new ClusterRequest(Spec));

        Assert.That(reports.Select(r => $"{r.Axis} {r.Name}: {r.Findings[0].Status} {r.Findings[0].Text}"), Is.EqualTo(new[]
        {
            "Backend local: Ok local found",
            "Backend docker: Ok docker found",
            "Network proxy: Absent proxy optional thing",
            "Manager none: Missing none package: apt-get install none",
        }));
        Assert.That(reports.Select(r => r.HasMissing), Is.EqualTo(new[] { false, false, false, true }));
    }

    private ClusterProviderRegistry Registry() => ClusterProviderRegistry.Empty
        .WithBackend(new RecordingBackend(journal))
        .WithNetwork(new RecordingNetwork(journal))
        .WithManager(new RecordingManager(journal));

    private static ClusterProvider Provider(ClusterProviderRegistry registry) => new(registry);
}
