using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Snapshots;

namespace ChaosPg.Runner.Runs;

/// <summary>
/// The files of one run: <c>reports/runs/&lt;scenario&gt;/&lt;utc-time&gt;-&lt;seed&gt;/</c> with scenario.yaml, history.jsonl,
/// snapshots.json, run.json, results.json, replication.jsonl, logs/&lt;node&gt;.log and report.html.
/// </summary>
public sealed class RunFolder
{
    public const string ScenarioFileName = "scenario.yaml";
    public const string LogsDirectoryName = "logs";
    public const string ReportFileName = "report.html";

    public RunFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The run folder's full path.</summary>
    public string Path { get; }

    public string ScenarioPath => Combine(ScenarioFileName);

    public string HistoryPath => Combine(HistoryWriter.FileName);

    public string SnapshotsPath => Combine(FinalStateStore.FileName);

    public string ManifestPath => Combine(RunManifest.FileName);

    public string ResultsPath => Combine(RunResults.FileName);

    public string ReplicationPath => Combine(ReplicationSample.FileName);

    public string LogsDirectory => Combine(LogsDirectoryName);

    public string ReportPath => Combine(ReportFileName);

    /// <summary>The log file of a node ("logs/primary.log").</summary>
    public string LogPath(string node) => System.IO.Path.Combine(LogsDirectory, node + ".log");

    /// <summary>Creates the folder of a new run (and its logs folder) under <paramref name="reportsRoot"/>/runs.</summary>
    /// <remarks>A run under an HA manager gets the manager's name at the end (<c>...-&lt;seed&gt;-patroni</c>), so runs of one scenario under several managers are told apart at a glance.</remarks>
    public static RunFolder Create(string reportsRoot, string scenario, DateTimeOffset startedUtc, long seed, string manager = "none")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reportsRoot);
        ArgumentException.ThrowIfNullOrWhiteSpace(scenario);
        var name = string.Create(CultureInfo.InvariantCulture, $"{startedUtc.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{seed}{(manager == "none" ? string.Empty : "-" + manager)}");
        var folder = new RunFolder(System.IO.Path.Combine(reportsRoot, "runs", scenario, name));
        Directory.CreateDirectory(folder.LogsDirectory);
        return folder;
    }

    /// <summary>True when the folder holds at least one of run.json, results.json or history.jsonl.</summary>
    public bool LooksLikeRun() =>
        File.Exists(ManifestPath) || File.Exists(ResultsPath) || File.Exists(HistoryPath);

    public Task WriteManifestAsync(RunManifest manifest, CancellationToken cancellationToken = default) =>
        WriteJsonAsync(ManifestPath, manifest, RunsJsonContext.Default.RunManifest, cancellationToken);

    public Task WriteResultsAsync(RunResults results, CancellationToken cancellationToken = default) =>
        WriteJsonAsync(ResultsPath, results, RunsJsonContext.Default.RunResults, cancellationToken);

    /// <exception cref="JsonException">The file is not a run manifest.</exception>
    public Task<RunManifest> ReadManifestAsync(CancellationToken cancellationToken = default) =>
        ReadJsonAsync(ManifestPath, RunsJsonContext.Default.RunManifest, cancellationToken);

    /// <exception cref="JsonException">The file is not a results file.</exception>
    public Task<RunResults> ReadResultsAsync(CancellationToken cancellationToken = default) =>
        ReadJsonAsync(ResultsPath, RunsJsonContext.Default.RunResults, cancellationToken);

    /// <summary>Loads every file of the run; missing or unreadable files become nulls and problems, never exceptions.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder holds none of run.json, results.json, history.jsonl.</exception>
    public async Task<LoadedRun> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Path))
        {
            throw new DirectoryNotFoundException($"{Path}: no such run folder");
        }

        if (!LooksLikeRun())
        {
            throw new InvalidDataException($"{Path}: not a run folder (no {RunManifest.FileName}, {RunResults.FileName} or {HistoryWriter.FileName})");
        }

        var problems = ImmutableArray.CreateBuilder<string>();
        var manifest = await TryLoadAsync(ManifestPath, problems, ReadManifestAsync, cancellationToken).ConfigureAwait(false);
        var results = await TryLoadAsync(ResultsPath, problems, ReadResultsAsync, cancellationToken).ConfigureAwait(false);
        var history = await TryLoadAsync(HistoryPath, problems, ct => HistoryReader.ReadAsync(HistoryPath, ct), cancellationToken).ConfigureAwait(false);
        var finalState = await TryLoadAsync(SnapshotsPath, problems, ct => FinalStateStore.LoadAsync(SnapshotsPath, ct), cancellationToken).ConfigureAwait(false);
        var yaml = await TryLoadAsync(ScenarioPath, problems, ct => File.ReadAllTextAsync(ScenarioPath, ct), cancellationToken).ConfigureAwait(false);
        var replication = File.Exists(ReplicationPath)
            ? await TryLoadAsync<IReadOnlyList<ReplicationSample>>(ReplicationPath, problems, async ct => await ReplicationSampleReader.ReadAsync(ReplicationPath, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
            : null;
        var logs = Directory.Exists(LogsDirectory)
            ? Directory.EnumerateFiles(LogsDirectory, "*.log")
                .Select(f => LogsDirectoryName + "/" + System.IO.Path.GetFileName(f))
                .Order(StringComparer.Ordinal)
                .ToImmutableArray()
            : [];
        return new LoadedRun(
            this,
            manifest,
            results,
            history,
            finalState,
            yaml,
            replication is null ? [] : [.. replication],
            logs,
            problems.ToImmutable());
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    // A report of a broken run is still a report: each file that cannot be read becomes one line of problems.
    private static async Task<T?> TryLoadAsync<T>(
        string path,
        ImmutableArray<string>.Builder problems,
        Func<CancellationToken, Task<T>> load,
        CancellationToken cancellationToken)
        where T : class
    {
        var name = System.IO.Path.GetFileName(path);
        if (!File.Exists(path))
        {
            problems.Add($"{name} is missing");
            return null;
        }

        try
        {
            return await load(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or HistoryFormatException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            problems.Add($"{name} could not be read: {e.Message}");
            return null;
        }
    }

    private static async Task WriteJsonAsync<T>(string path, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, value, type, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> ReadJsonAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException($"{path}: empty file");
        }
    }
}
