namespace ChaosPg.Cli.Tests.Packaging;

/// <summary>The checkout these tests were built from: the directory above the test binaries that holds ChaosPg.sln.</summary>
internal static class Checkout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests (and so the CLI they reference) were built in.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ChaosPg.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ChaosPg.sln above {AppContext.BaseDirectory}.");
    }
}
