using ChaosPg.Cluster.Docker;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Managers.None;
using ChaosPg.Cluster.Managers.Patroni;
using ChaosPg.Cluster.Networks.Kernel;
using ChaosPg.Cluster.Networks.Proxy;
using ChaosPg.Cluster.Providers;

namespace ChaosPg.Cluster.Tests.Providers;

public sealed class ClusterProviderRegistryTests
{
    private static readonly ClusterProviderRegistry Registry = ClusterProviderRegistry.Default;

    [Test]
    public void The_default_registry_maps_each_built_name_to_its_implementation()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Registry.Backend("local"), Is.TypeOf<LocalBackend>());
            Assert.That(Registry.Backend("docker"), Is.TypeOf<DockerBackend>());
            Assert.That(Registry.Network("proxy"), Is.TypeOf<ProxyNetwork>());
            Assert.That(Registry.Network("kernel"), Is.TypeOf<KernelNetwork>());
            Assert.That(Registry.Manager("none"), Is.TypeOf<NoManager>());
            Assert.That(Registry.Manager("patroni"), Is.TypeOf<PatroniManager>());
        });
    }

    [Test]
    public void Each_implementation_answers_to_the_name_it_is_registered_under()
    {
        var parts = Registry.Backends.Select(p => (p.Key, p.Value.Name))
            .Concat(Registry.Networks.Select(p => (p.Key, p.Value.Name)))
            .Concat(Registry.Managers.Select(p => (p.Key, p.Value.Name)));

        Assert.That(parts.Where(p => p.Key != p.Name), Is.Empty);
    }

    [TestCase(ClusterAxis.Backend, "local, docker, target")]
    [TestCase(ClusterAxis.Network, "proxy, kernel")]
    [TestCase(ClusterAxis.Manager, "none, patroni, repmgr")]
    public void Available_lists_what_this_version_built_in_the_documented_order(ClusterAxis axis, string expected)
    {
        Assert.That(string.Join(", ", Registry.Available(axis)), Is.EqualTo(expected));
    }

    [TestCase(ClusterAxis.Manager, "pg_auto_failover", "manager pg_auto_failover is not available yet in this version; available: none, patroni, repmgr")]
    public void A_planned_name_is_not_available_yet_which_is_not_the_same_as_unknown(ClusterAxis axis, string name, string expected)
    {
        Assert.That(Registry.Problem(axis, name), Is.EqualTo(expected));
    }

    [TestCase(ClusterAxis.Manager, "pacemaker", "manager 'pacemaker' is unknown; available: none, patroni, repmgr (pg_auto_failover: not available yet)")]
    [TestCase(ClusterAxis.Network, "iptables", "network 'iptables' is unknown; available: proxy, kernel")]
    [TestCase(ClusterAxis.Backend, "vm", "backend 'vm' is unknown; available: local, docker, target")]
    [TestCase(ClusterAxis.Manager, "None", "manager 'None' is unknown; available: none, patroni, repmgr (pg_auto_failover: not available yet)")]
    public void An_unknown_name_is_one_line_naming_what_is_available(ClusterAxis axis, string name, string expected)
    {
        Assert.That(Registry.Problem(axis, name), Is.EqualTo(expected));
    }

    [Test]
    public void Looking_up_a_name_that_is_not_registered_throws_the_same_one_line_error()
    {
        var error = Assert.Throws<ClusterConfigurationException>(() => Registry.Manager("pg_auto_failover"));

        Assert.That(error!.Message, Is.EqualTo(Registry.Problem(ClusterAxis.Manager, "pg_auto_failover")));
    }

    [Test]
    public void Registering_a_manager_is_one_line_and_makes_its_name_available()
    {
        var journal = new Journal();

        var extended = Registry.WithManager(new RecordingManager(journal, "pg_auto_failover"));

        Assert.Multiple(() =>
        {
            Assert.That(extended.Problem(ClusterAxis.Manager, "pg_auto_failover"), Is.Null);
            Assert.That(extended.Available(ClusterAxis.Manager), Is.EqualTo(new[] { "none", "patroni", "repmgr", "pg_auto_failover" }));
            Assert.That(extended.Manager("pg_auto_failover").Name, Is.EqualTo("pg_auto_failover"));
            Assert.That(Registry.Problem(ClusterAxis.Manager, "pg_auto_failover"), Is.Not.Null, "the registry is immutable: the default is unchanged");
        });
    }

    [Test]
    public void A_registered_name_that_is_not_in_the_vocabulary_is_listed_after_the_known_ones()
    {
        var extended = Registry.WithBackend(new RecordingBackend(new Journal(), "lab"));

        Assert.That(extended.Available(ClusterAxis.Backend), Is.EqualTo(new[] { "local", "docker", "target", "lab" }));
    }
}
