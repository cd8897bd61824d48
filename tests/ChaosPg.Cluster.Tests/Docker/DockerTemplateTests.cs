using System.Globalization;
using ChaosPg.Cluster.Docker;
using Docker.DotNet.Models;
using Npgsql;

namespace ChaosPg.Cluster.Tests.Docker;

/// <summary>The per-image template a Docker run's nodes start from (DockerTemplate), against a real daemon.</summary>
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
    public async Task Runs_start_from_one_template_image_per_image_and_take_it_over_with_their_own_passwords_and_slots()
    {
        var pgImage = DockerTestEnvironment.PgImages.First();
        await using var first = await DockerTestEnvironment.StartAsync(pgImage);
        var image = await first.Client.Images.InspectImageAsync(pgImage);
        var template = await first.Client.Images.InspectImageAsync(DockerTemplate.ImageName(DockerTemplate.KeyOf(image.ID)));
        var labels = template.Config!.Labels!;
        Assert.That(labels[DockerLabels.TemplateImage], Is.EqualTo(image.ID));

        // Every node runs the template image, its data in the container's own filesystem: no volume to copy into.
        foreach (var node in first.Nodes)
        {
            var inspect = await first.Client.Containers.InspectContainerAsync(node.ContainerId!);
            Assert.That(inspect.Image, Is.EqualTo(template.ID), node.Name);
            Assert.That(inspect.Mounts.Where(m => m.Type == "volume"), Is.Empty, node.Name);
        }

        // The template's password no longer opens the primary; the run's does.
        var templateLogin = new NpgsqlConnectionStringBuilder(first.Primary.GetConnectionString(DatabaseRole.Superuser)) { Password = labels[DockerLabels.TemplatePassword] };
        var refused = Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = new NpgsqlConnection(templateLogin.ConnectionString);
            await connection.OpenAsync();
        });
        Assert.That(refused!.SqlState, Is.EqualTo(PostgresErrorCodes.InvalidPassword));

        // The template's slot is gone, the run's replica streams through its own, and the image's default database,
        // which the harness does not use, is not in the template.
        Assert.That(await QueryAsync(first.Primary, "SELECT string_agg(slot_name || ':' || active, ',' ORDER BY slot_name) FROM pg_replication_slots"), Is.EqualTo("replica1:true"));
        Assert.That(await QueryAsync(first["replica1"], "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database"), Is.EqualTo("chaospg,template0,template1"));
        await QueryAsync(first.Primary, "CREATE TABLE written_by_the_first_run (id int); SELECT 1");

        await using var second = await DockerTestEnvironment.StartAsync(pgImage);
        var again = await second.Client.Containers.InspectContainerAsync(second["replica1"].ContainerId!);
        Assert.That(again.Image, Is.EqualTo(template.ID), "the second run reuses the template instead of building another");
        Assert.That(
            await QueryAsync(second.Primary, "SELECT count(*) FROM pg_class WHERE relname = 'written_by_the_first_run'"),
            Is.EqualTo("0"),
            "a run's writes stay in its own containers, never in the template");
    }

    [Test]
    public async Task The_sweep_removes_templates_of_vanished_images_of_other_init_scripts_and_untagged_ones_but_not_those_in_use()
    {
        var daemon = await DockerTestEnvironment.RequireDaemonAsync();
        using var client = DockerDaemon.CreateClient(daemon);
        var pgImage = await client.Images.InspectImageAsync(DockerTestEnvironment.PgImages.First());
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // Template images are made the way DockerTemplate makes them, by committing a container: one never started will do.
        var container = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = pgImage.ID,
            Name = $"chaospg-template-test-{suffix}",
            // A live run's, as the one below: the sweep leaves them.
            Labels = new Dictionary<string, string>(DockerLabels.For("template-test")),
        });
        string? inUse = null;
        try
        {
            async Task<string> CommitAsync(string? tag, string key, string source) =>
                (await client.Images.CommitContainerChangesAsync(new CommitContainerChangesParameters
                {
                    ContainerID = container.ID,
                    RepositoryName = tag is null ? null : DockerTemplate.Repository,
                    Tag = tag,
                    Labels = new Dictionary<string, string>
                    {
                        [DockerLabels.Template] = key,
                        [DockerLabels.TemplateImage] = source,
                        [DockerLabels.TemplatePassword] = "unused",
                    },
                })).ID;

            var vanishedImage = await CommitAsync($"test{suffix}-vanished", "test", "sha256:" + new string('0', 64));
            var otherScripts = await CommitAsync($"test{suffix}-other", "0000000000000000", pgImage.ID);
            var untagged = await CommitAsync(null, DockerTemplate.KeyOf(pgImage.ID), pgImage.ID);
            inUse = await CommitAsync($"test{suffix}-in-use", "test", "sha256:" + new string('0', 64));
            await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = inUse,
                Name = $"chaospg-template-test-{suffix}-user",
                // The sweep leaves the image this container uses.
                Labels = new Dictionary<string, string>(DockerLabels.For("template-test")),
            });

            await DockerSweeper.SweepAsync(client);

            var left = (await client.Images.ListImagesAsync(new ImagesListParameters { All = true })).Select(i => i.ID).ToList();
            Assert.That(left, Does.Not.Contain(vanishedImage).And.Not.Contain(otherScripts).And.Not.Contain(untagged));
            Assert.That(left, Does.Contain(inUse));
        }
        finally
        {
            foreach (var name in new[] { $"chaospg-template-test-{suffix}-user", $"chaospg-template-test-{suffix}" })
            {
                await client.Containers.RemoveContainerAsync(name, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
            }

            if (inUse is not null)
            {
                await client.Images.DeleteImageAsync(inUse, new ImageDeleteParameters { Force = true });
            }
        }
    }

    private static async Task<string> QueryAsync(DockerNode node, string sql)
    {
        await using var connection = new NpgsqlConnection(node.GetConnectionString(DatabaseRole.Superuser));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}
