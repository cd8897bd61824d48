using ChaosPg.Runner.Orchestration;

namespace ChaosPg.Runner.Tests.Catalog;

public class ScenarioCatalogTests
{
    private string root = string.Empty;

    [SetUp]
    public void CreateTree()
    {
        root = Path.Combine(Path.GetTempPath(), $"chaospg-catalog-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "scenarios"));
        Directory.CreateDirectory(Path.Combine(root, "harness", "deep"));
        File.WriteAllText(Path.Combine(root, "ChaosPg.sln"), string.Empty);
        File.WriteAllText(Path.Combine(root, "scenarios", "b.yaml"), string.Empty);
        File.WriteAllText(Path.Combine(root, "scenarios", "a.yaml"), string.Empty);
        File.WriteAllText(Path.Combine(root, "scenarios", "README.md"), string.Empty);
    }

    [TearDown]
    public void DeleteTree() => Directory.Delete(root, recursive: true);

    [Test]
    public void The_catalog_is_found_beside_the_solution_above_the_current_directory()
    {
        Assert.That(ScenarioCatalog.FindDefaultDirectory(Path.Combine(root, "harness", "deep")), Is.EqualTo(Path.Combine(root, "scenarios")));
    }

    [Test]
    public void A_folder_expands_to_its_yaml_files_in_name_order_and_a_file_stays_itself()
    {
        var single = Path.Combine(root, "scenarios", "b.yaml");

        var files = ScenarioCatalog.Expand([Path.Combine(root, "scenarios"), single]);

        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "a.yaml", "b.yaml", "b.yaml" }));
    }

    [Test]
    public void A_path_that_does_not_exist_is_named_in_the_error()
    {
        var missing = Path.Combine(root, "nope.yaml");

        var error = Assert.Throws<FileNotFoundException>(() => ScenarioCatalog.Expand([missing]));

        Assert.That(error!.Message, Does.Contain(missing));
    }
}
