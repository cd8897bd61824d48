using System.Globalization;
using ChaosPg.Cluster.Docker;
using Docker.DotNet.Models;
using Npgsql;

namespace ChaosPg.Cluster.Tests.Docker;

/// <summary>The per-image template a Docker run's nodes are copied from (DockerTemplate), against a real daemon.</summary>
[Category("Docker")]
[NonParallelizable]
public class DockerTemplateTests
{
    [Test]
    public void A_template_key_is_stable_for_an_image_and_differs_between_images()
    {
        Assert.That(DockerTemplate.KeyOf("sha256:aa"), Is.EqualTo(DockerTemplate.KeyOf("sha256:aa")));
        Assert.That(DockerTemplate.KeyOf("sha256:aa"), Is.Not.EqualTo(DockerTemplate.KeyOf("sha256:bb")));
        Assert.That(DockerTemplate.KeyOf("sha256:aa"), Does.Match("^[0-9a-f]{16}$"));
    }

    [Test]
    public async Task Runs_copy_one_template_per_image_and_take_it_over_with_their_own_passwords_and_slots()
    {
        var pgImage = DockerTestEnvironment.PgImages.First();
        await using var first = await DockerTestEnvironment.StartAsync(pgImage);
        var image = await first.Client.Images.InspectImageAsync(pgImage);
        var index = await first.Client.Volumes.InspectAsync($"chaospg-template-{DockerTemplate.KeyOf(image.ID)}");
        Assert.That(index.Labels[DockerLabels.TemplateImage], Is.EqualTo(image.ID));
        var data = index.Labels[DockerLabels.TemplateData];
        Assert.That((await first.Client.Volumes.InspectAsync(data)).Labels[DockerLabels.TemplateData], Is.EqualTo(DockerTemplate.KeyOf(image.ID)));

        // The template's password no longer opens the primary; the run's does.
        var templateLogin = new NpgsqlConnectionStringBuilder(first.Primary.GetConnectionString(DatabaseRole.Superuser)) { Password = index.Labels[DockerLabels.TemplatePassword] };
        var refused = Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = new NpgsqlConnection(templateLogin.ConnectionString);
            await connection.OpenAsync();
        });
        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.InvalidPassword));

        // The template's slot is gone, the run's replica streams through its own, and the image's default database,
        // which the harness does not use, is not copied.
        Assert.That(await QueryAsync(first.Primary, "SELECT string_agg(slot_name || ':' || active, ',' ORDER BY slot_name) FROM pg_replication_slots"), Is.EqualTo("replica1:true"));
        Assert.That(await QueryAsync(first["replica1"], "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database"), Is.EqualTo("chaospg,template0,template1"));

        await using var second = await DockerTestEnvironment.StartAsync(pgImage);
        var again = await second.Client.Volumes.InspectAsync(index.Name);
        Assert.That(again.Labels[DockerLabels.TemplateData], Is.EqualTo(data), "the second run reuses the template instead of building another");
        var nodeMounts = await second.Client.Containers.InspectContainerAsync(second["replica1"].ContainerId!);
        Assert.That(nodeMounts.Mounts.Select(m => m.Name), Does.Contain(data));
    }

    [Test]
    public async Task The_sweep_removes_a_killed_build_and_the_templates_of_images_the_daemon_no_longer_has()
    {
        var daemon = await DockerTestEnvironment.RequireDaemonAsync();
        using var client = DockerDaemon.CreateClient(daemon);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // A builder that no longer runs: pid 1 with a start time it never had.
        var deadOwner = new Dictionary<string, string>
        {
            [DockerLabels.OwnerPid] = "1",
            [DockerLabels.OwnerStart] = long.MaxValue.ToString(CultureInfo.InvariantCulture),
        };
        var killedBuild = $"chaospg-template-test{suffix}-killed";
        var orphanData = $"chaospg-template-test{suffix}-orphan";
        var orphanIndex = $"chaospg-template-test{suffix}";
        await client.Volumes.CreateAsync(new VolumesCreateParameters { Name = killedBuild, Labels = new Dictionary<string, string>(deadOwner) { [DockerLabels.TemplateData] = "test" } });
        await client.Volumes.CreateAsync(new VolumesCreateParameters { Name = orphanData, Labels = new Dictionary<string, string>(deadOwner) { [DockerLabels.TemplateData] = "test" } });
        await client.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = orphanIndex,
            Labels = new Dictionary<string, string>
            {
                [DockerLabels.Template] = "test",
                [DockerLabels.TemplateData] = orphanData,
                [DockerLabels.TemplateImage] = "sha256:" + new string('0', 64),
                [DockerLabels.TemplatePassword] = "unused",
            },
        });

        await DockerSweeper.SweepAsync(client);

        var left = ((await client.Volumes.ListAsync(new VolumesListParameters())).Volumes ?? []).Select(v => v.Name).ToList();
        Assert.That(left, Does.Not.Contain(killedBuild).And.Not.Contain(orphanData).And.Not.Contain(orphanIndex));
    }

    private static async Task<string> QueryAsync(DockerNode node, string sql)
    {
        await using var connection = new NpgsqlConnection(node.GetConnectionString(DatabaseRole.Superuser));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}
