using System.Security.Cryptography;
using System.Text;
using ChaosPg.Cluster.Reaping;

namespace ChaosPg.Cluster.Local;

/// <summary>
/// A data directory made once per PostgreSQL build and initdb settings, then copied for every node of every run:
/// a copy is far cheaper than initdb. It holds the roles and database but no password.
/// </summary>
internal static class TemplateCache
{
    /// <summary>initdb options of the template (data checksums so pg_rewind works; trust only until pg_hba.conf is replaced).</summary>
    public static readonly IReadOnlyList<string> InitDbArguments = ["--data-checksums", "--username", ClusterRoles.Superuser, "--encoding", "UTF8", "--locale", "C", "--auth", "trust"];

    private static readonly string TemplateSql =
        $"CREATE ROLE {ClusterRoles.Replication} WITH REPLICATION LOGIN;\n" +
        $"CREATE ROLE {ClusterRoles.App} WITH LOGIN;\n" +
        $"CREATE DATABASE {ClusterRoles.AppDatabase} OWNER {ClusterRoles.App};\n" +
        // Every node copies each database: one fewer is ~7 MB and ~300 files less to write per node.
        "DROP DATABASE postgres;\n";

    /// <summary>Copies the template to a node's data directory; zero-filled WAL space stays sparse.</summary>
    public static async Task CopyAsync(string template, string destination, CancellationToken cancellationToken = default)
    {
        var copy = await ProcessRunner.RunAsync("cp", ["-a", "--sparse=always", "--reflink=auto", template, destination], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (copy.ExitCode != 0)
        {
            throw new IOException($"copying the template to {destination} failed: {copy.StandardError.Trim()}");
        }
    }

    /// <summary>Returns the template data directory, building it first if this build has none yet.</summary>
    public static async Task<string> EnsureAsync(PgBinaries binaries, ServerUser user, string workRoot, RunReaper? reaper = null, CancellationToken cancellationToken = default)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('|', binaries.BinDirectory, binaries.Version, string.Join(' ', InitDbArguments), TemplateSql, "pg_resetwal+start", user.Name))))[..16];
        var templates = Path.Combine(workRoot, "templates");
        var template = Path.Combine(templates, key);
        if (Directory.Exists(template))
        {
            return template;
        }

        ServerDirectory.Create(templates);
        // Built aside and renamed into place, so a concurrent or interrupted build never leaves a half template.
        var building = Path.Combine(templates, $"{key}.building-{Guid.NewGuid():N}");
        // A harness killed mid-build would leave initdb or a single-user server running and the half-built directory.
        reaper?.Add(ReapEntry.CommandLine(building, "a template build"));
        reaper?.Add(ReapEntry.Path(building, "a half-built template"));
        Directory.CreateDirectory(building);
        user.Own(building);
        try
        {
            await RunCheckedAsync("template", user, binaries.Tool("initdb"), ["--pgdata", building, .. InitDbArguments], null, cancellationToken).ConfigureAwait(false);
            await RunSingleUserAsync("template", binaries, user, building, TemplateSql, cancellationToken).ConfigureAwait(false);
            // The cluster is shut down cleanly, so its WAL is no longer needed: a reset leaves one segment holding just
            // a checkpoint record, which copies as a sparse file instead of initdb's megabytes of WAL.
            await RunCheckedAsync("template", user, binaries.Tool("pg_resetwal"), ["--pgdata", building], null, cancellationToken).ConfigureAwait(false);
            // pg_resetwal records wal_level=minimal, which no standby accepts; one start records the real wal_level
            // and shuts down with a checkpoint the replicas can start from.
            await RunSingleUserAsync("template", binaries, user, building, "SELECT 1;\n", cancellationToken).ConfigureAwait(false);
            try
            {
                Directory.Move(building, template);
            }
            catch (IOException) when (Directory.Exists(template))
            {
                Directory.Delete(building, recursive: true);
            }
        }
        catch
        {
            if (Directory.Exists(building))
            {
                Directory.Delete(building, recursive: true);
            }

            throw;
        }

        return template;
    }

    /// <summary>Runs SQL in single-user mode, one statement per line, stopping at the first error.</summary>
    public static Task RunSingleUserAsync(string node, PgBinaries binaries, ServerUser user, string dataDirectory, string sql, CancellationToken cancellationToken = default) =>
        RunCheckedAsync(
            node,
            user,
            binaries.Tool("postgres"),
            ["--single", "-D", dataDirectory, "-c", "exit_on_error=on", "-c", "synchronous_standby_names=", "-c", "log_min_error_statement=panic", "template1"],
            sql,
            cancellationToken);

    private static async Task RunCheckedAsync(string node, ServerUser user, string fileName, IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var result = await user.RunAsync(fileName, arguments, input, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new NodeStartException($"node {node}: {Path.GetFileName(fileName)} {arguments[0]} failed (exit {result.ExitCode}): {LastLines(result.StandardError + result.StandardOutput, 10)}");
        }
    }

    private static string LastLines(string text, int count) =>
        string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count));
}
