namespace ChaosPg.Cluster.Tests;

// Uses a test double of the machine (PgBinariesProbe) so the detection order is checked without installing PostgreSQL.
public class PgBinariesLocatorTests
{
    private static PgBinariesProbe Probe(string? environment = null, string? pgConfig = null, string[]? installed = null, string[]? withPostgres = null) =>
        new(
            name => name == PgBinariesLocator.EnvironmentVariable ? environment : null,
            _ => Task.FromResult(pgConfig),
            () => installed ?? [],
            dir => (withPostgres ?? [.. new[] { environment, pgConfig }.OfType<string>(), .. installed ?? [], "/opt/pg/bin"]).Contains(dir));

    [Test]
    public async Task The_explicit_option_wins_over_everything()
    {
        var choice = await PgBinariesLocator.ChooseAsync("/opt/pg/bin", Probe("/env/bin", "/pgconfig/bin", ["/usr/lib/postgresql/16/bin"]));
        Assert.That(choice, Is.EqualTo(new PgBinDirectoryChoice("/opt/pg/bin", "--pg-bin")));
    }

    [Test]
    public async Task The_environment_variable_comes_before_pg_config()
    {
        var choice = await PgBinariesLocator.ChooseAsync(null, Probe("/env/bin", "/pgconfig/bin", ["/usr/lib/postgresql/16/bin"]));
        Assert.That(choice.Source, Is.EqualTo("CHAOSPG_PG_BIN"));
    }

    [Test]
    public async Task Pg_config_comes_before_the_installed_versions()
    {
        var choice = await PgBinariesLocator.ChooseAsync(null, Probe(null, "/pgconfig/bin", ["/usr/lib/postgresql/16/bin"]));
        Assert.That(choice, Is.EqualTo(new PgBinDirectoryChoice("/pgconfig/bin", "pg_config")));
    }

    [Test]
    public async Task The_newest_installed_version_is_chosen_numerically()
    {
        var installed = new[] { "/usr/lib/postgresql/9.6/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/13/bin" };
        var choice = await PgBinariesLocator.ChooseAsync(null, Probe(installed: installed));
        Assert.That(choice.BinDirectory, Is.EqualTo("/usr/lib/postgresql/15/bin"));
    }

    [Test]
    public async Task A_pg_config_without_a_server_falls_through_to_the_installed_versions()
    {
        var choice = await PgBinariesLocator.ChooseAsync(null, Probe(null, "/client-only/bin", ["/usr/lib/postgresql/15/bin"], withPostgres: ["/usr/lib/postgresql/15/bin"]));
        Assert.That(choice.Source, Is.EqualTo("/usr/lib/postgresql"));
    }

    [Test]
    public void A_wrong_explicit_directory_is_an_error_not_a_fallback()
    {
        Assert.That(
            () => PgBinariesLocator.ChooseAsync("/nowhere", Probe(installed: ["/usr/lib/postgresql/15/bin"])),
            Throws.TypeOf<ClusterConfigurationException>().With.Message.Contains("--pg-bin /nowhere"));
    }

    [Test]
    public void Nothing_found_says_where_it_looked_and_how_to_point_at_binaries()
    {
        Assert.That(
            () => PgBinariesLocator.ChooseAsync(null, Probe()),
            Throws.TypeOf<ClusterConfigurationException>().With.Message.Contains("--pg-bin").And.Message.Contains("CHAOSPG_PG_BIN").And.Message.Contains("/usr/lib/postgresql"));
    }
}
