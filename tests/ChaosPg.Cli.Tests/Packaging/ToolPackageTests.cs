using System.IO.Compression;
using System.Xml.Linq;
using ChaosPg.Cluster;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Packaging;

/// <summary>
/// Packs the CLI as it was built for these tests (<c>dotnet pack --no-build</c>, about 20 s) and reads the .nupkg as
/// the zip it is. Installing it and running the installed tool is .ci/check-package's job.
/// </summary>
public class ToolPackageTests
{
    private const string ToolFolder = "tools/net10.0/any/";
    private string directory = string.Empty;
    private string package = string.Empty;

    [OneTimeSetUp]
    public async Task Pack()
    {
        directory = Path.Combine(Path.GetTempPath(), $"chaospg-pack-{Guid.NewGuid():N}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            ["pack", Path.Combine(Checkout.Root, "harness", "ChaosPg.Cli", "ChaosPg.Cli.csproj"), "--no-build",
             "-c", Checkout.Configuration, "-o", directory, "-nologo"],
            cancellationToken: timeout.Token);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"dotnet pack failed:\n{result.StandardOutput}\n{result.StandardError}");
        package = Directory.GetFiles(directory, "ChaosPg.Cli.*.nupkg").Single();
    }

    [OneTimeTearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void The_package_is_a_dotnet_tool_whose_command_is_chaospg()
    {
        using var zip = ZipFile.OpenRead(package);

        Assert.That(zip.GetEntry(ToolFolder + "chaospg.dll"), Is.Not.Null, "the entry point assembly");
        var command = ReadXml(zip, ToolFolder + "DotnetToolSettings.xml").Descendants("Command").Single();
        Assert.That(command.Attribute("Name")?.Value, Is.EqualTo("chaospg"));
        Assert.That(command.Attribute("EntryPoint")?.Value, Is.EqualTo("chaospg.dll"));
        var metadata = Nuspec(zip);
        Assert.That(metadata.Elements().Single(e => e.Name.LocalName == "id").Value, Is.EqualTo("ChaosPg.Cli"));
        Assert.That(metadata.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => e.Attribute("name")?.Value),
            Does.Contain("DotnetTool"));
    }

    [Test]
    public void The_package_ships_every_catalog_file_beside_the_tool_unchanged()
    {
        using var zip = ZipFile.OpenRead(package);
        var catalog = Directory.GetFiles(Path.Combine(Checkout.Root, "scenarios"), "*.yaml")
            .Append(Path.Combine(Checkout.Root, "scenarios", "README.md"))
            .ToList();

        Assert.That(catalog, Has.Count.GreaterThan(1));
        foreach (string file in catalog)
        {
            var entry = zip.GetEntry($"{ToolFolder}scenarios/{Path.GetFileName(file)}");
            Assert.That(entry, Is.Not.Null, $"{Path.GetFileName(file)} is missing from {ToolFolder}scenarios/");
            using var reader = new StreamReader(entry!.Open());
            Assert.That(reader.ReadToEnd(), Is.EqualTo(File.ReadAllText(file)), $"{Path.GetFileName(file)} differs from the checkout");
        }
    }

    [Test]
    public void The_package_declares_its_readme_and_license()
    {
        using var zip = ZipFile.OpenRead(package);
        var metadata = Nuspec(zip);

        Assert.That(metadata.Elements().Single(e => e.Name.LocalName == "readme").Value, Is.EqualTo("README.md"));
        Assert.That(zip.GetEntry("README.md"), Is.Not.Null);
        Assert.That(metadata.Elements().Single(e => e.Name.LocalName == "license").Value, Is.EqualTo("MIT"));
        Assert.That(metadata.Elements().Single(e => e.Name.LocalName == "description").Value, Does.Contain("PostgreSQL"));
    }

    private static XElement Nuspec(ZipArchive zip) =>
        ReadXml(zip, "ChaosPg.Cli.nuspec").Root!.Elements().Single(e => e.Name.LocalName == "metadata");

    private static XDocument ReadXml(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name);
        Assert.That(entry, Is.Not.Null, $"{name} is missing from the package");
        using var stream = entry!.Open();
        return XDocument.Load(stream);
    }
}
