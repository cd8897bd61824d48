using ChaosPg.Cluster.Managers.Common;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using ChaosPg.Cluster;
using ChaosPg.Cluster.Local;
using ChaosPg.Cluster.Providers;
using ChaosPg.Cluster.Target;
using ChaosPg.Core.Checkers;
using ChaosPg.Core.Histories;
using ChaosPg.Core.Schedule;
using ChaosPg.Core.Snapshots;
using ChaosPg.Runner.Faults;
using ChaosPg.Runner.Reports;
using ChaosPg.Runner.Runs;
using ChaosPg.Runner.Scenarios;
using ChaosPg.Runner.Scheduling;
using ChaosPg.Runner.Snapshots;
using ChaosPg.Runner.Workloads;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Runner.Orchestration;

/// <summary>
/// Runs one scenario against a cluster the provider makes (backend x network mode x manager) and leaves a complete run folder: brings the cluster up,
/// runs the workload while the schedule injects faults, heals, waits for convergence, snapshots every node, judges the
/// history against the scenario's expectations, writes results, manifest and report, and tears everything down.
/// </summary>
public sealed class ScenarioRunner
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    // How long before a workload stops the next run of a suite starts its bring-up: about one bring-up.
    private static readonly TimeSpan NextRunLead = TimeSpan.FromSeconds(6);

    private const string Cancelled = "the run was cancelled (Ctrl-C) before it finished";

    // How long the workload may take to get its first write acknowledged before the run gives up: the cluster is up,
    // so this is only ever connects and a first commit, and a cluster that cannot do that in this time tests nothing.
    private static readonly TimeSpan FirstAcknowledgementDeadline = TimeSpan.FromSeconds(30);

    private readonly ScenarioRunOptions options;

    public ScenarioRunner(ScenarioRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    /// <summary>Reads and validates a scenario file; nothing starts when it is invalid.</summary>
    /// <exception cref="ScenarioValidationException">The file has errors (each with file, line and column).</exception>
    public static Task<Scenario> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        ScenarioParser.LoadAsync(path, cancellationToken);

    /// <summary>Loads and runs a scenario file.</summary>
    /// <exception cref="ScenarioValidationException">The file has errors; nothing was started.</exception>
    public async Task<ScenarioRunResult> RunFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var scenario = await LoadAsync(path, cancellationToken).ConfigureAwait(false);
        return await RunAsync(scenario, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> (read from <paramref name="scenarioFile"/>). Never throws for a run that fails
    /// or cannot complete: that is the result's outcome (error when the cluster cannot come up or the run is cancelled).
    /// </summary>
    public async Task<ScenarioRunResult> RunAsync(Scenario scenario, string scenarioFile, CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(scenario, scenarioFile, background: false, cancellationToken).ConfigureAwait(false);
        return await RunAsync(prepared, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the run folder and asks the provider for the cluster (backend x network mode x manager). Never throws for a cluster that
    /// cannot start: that is <see cref="PreparedRun.BringUpError"/>. With <paramref name="background"/> (the next
    /// run of a suite) it reports one event when done instead of its phases.
    /// </summary>
    public async Task<PreparedRun> PrepareAsync(Scenario scenario, string scenarioFile, bool background, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(scenarioFile);
        var plan = scenario.Plan();
        if (!plan.IsValid)
        {
            throw new ArgumentException($"{scenarioFile}: the schedule has issues; validate the scenario first: {plan.Issues[0].Message}", nameof(scenario));
        }

        var clock = Stopwatch.StartNew();
        var seed = options.Seed ?? Random.Shared.NextInt64(1, 1_000_000_000);
        var startedUtc = DateTimeOffset.UtcNow;
        var folder = RunFolder.Create(options.ReportsRoot, scenario.Name, startedUtc, seed, scenario.Cluster.Manager);
        var prepared = new PreparedRun(scenario, plan, Path.GetFullPath(scenarioFile), seed, startedUtc, folder)
        {
            Facts = new ClusterFacts(options.Backend, scenario.Cluster.Network, scenario.Cluster.Manager),
            Target = options.Target,
        };
        Action<string> phase = background ? _ => { } : text => Phase(scenario, text);
        try
        {
            await File.WriteAllTextAsync(folder.ScenarioPath, ScenarioWriter.Write(scenario), cancellationToken).ConfigureAwait(false);
            prepared.GitCommit = await GitCommit.ReadAsync(Environment.CurrentDirectory, cancellationToken).ConfigureAwait(false);
            var request = Request(prepared);
            prepared.Facts = options.Provider.Plan(request);
            await folder.WriteManifestAsync(prepared.Manifest(null, null), cancellationToken).ConfigureAwait(false);
            prepared.Provided = await options.Provider.StartAsync(request, phase, cancellationToken).ConfigureAwait(false);
            prepared.Facts = prepared.Provided.Facts;
            if (prepared.Cluster is IManagedCluster)
            {
                // The manager's versions and settings go into run.json as soon as it runs: a run killed from here on still has them.
                await folder.WriteManifestAsync(prepared.Manifest(null, null), cancellationToken).ConfigureAwait(false);
            }

            if (options.KeepData && prepared.Cluster is LocalCluster local)
            {
                // Data directories kept on the host (--keep-data) go into run.json now, not only at the end: a run
                // killed from here on still says where its data is.
                prepared.KeptDataDirectories = [.. local.Nodes.Select(n => n.DataDirectory)];
                await folder.WriteManifestAsync(prepared.Manifest(null, null), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            prepared.BringUpError = Cancelled;
        }
#pragma warning disable CA1031 // Whatever keeps the cluster from starting is the run's error result, not a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            prepared.BringUpError = "the cluster could not start: " + Describe(e);
        }

        prepared.PreparationTime = clock.Elapsed;
        if (background)
        {
            options.Progress?.OnEvent(scenario.Name, prepared.BringUpError is null
                ? string.Create(CultureInfo.InvariantCulture, $"next scenario {scenario.Name}: cluster up in {clock.Elapsed.TotalSeconds:0.0} s")
                : $"next scenario {scenario.Name}: {prepared.BringUpError}");
        }

        return prepared;
    }

    /// <summary>
    /// Runs a prepared run to its end and tears it down; <paramref name="nearTheEnd"/> is called once, a few seconds
    /// before the workload stops (a suite starts bringing up its next scenario then).
    /// </summary>
    public async Task<ScenarioRunResult> RunAsync(PreparedRun prepared, Action? nearTheEnd, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var clock = Stopwatch.StartNew();
        var run = new Run(this, prepared, nearTheEnd);
        RunResults results;
        await using (run.ConfigureAwait(false))
        {
            results = await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        // The folder is written even after a Ctrl-C: the report says the run was cancelled.
        var folder = prepared.Folder;
        using var finish = new CancellationTokenSource(options.CleanupTimeout);
        await folder.WriteResultsAsync(results, finish.Token).ConfigureAwait(false);
        await folder.WriteManifestAsync(prepared.Manifest(DateTimeOffset.UtcNow, ScenarioRunResult.ExitCodeOf(results.Outcome)), finish.Token).ConfigureAwait(false);
        await RunReportBuilder.WriteAsync(folder.Path, finish.Token).ConfigureAwait(false);
        var result = new ScenarioRunResult(prepared.Scenario, prepared.Seed, folder, results, prepared.PreparationTime + clock.Elapsed, prepared.KeptDataDirectories);
        options.Progress?.OnRunCompleted(result);
        return result;
    }

    private void Phase(Scenario scenario, string phase) => options.Progress?.OnPhase(scenario.Name, phase);

    // The scenario gives the cluster, its network mode and its manager; the options give the backend and where things go.
    private ClusterRequest Request(PreparedRun prepared) =>
        prepared.Scenario.Cluster.ApplyTo(options.Request(prepared.Scenario.Cluster.ToClusterSpec(options.PgBinDirectory))) with
        {
            LogDirectory = prepared.Folder.LogsDirectory,
        };

    private static string Describe(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: > 0 } aggregate => string.Join("; ", aggregate.InnerExceptions.Select(Describe)),
        _ => string.Join(' ', e.Message.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
    };

    /// <summary>The state of one run, so that teardown can reach everything that was started.</summary>
    private sealed class Run(ScenarioRunner runner, PreparedRun prepared, Action? nearTheEnd) : IAsyncDisposable
    {
        private readonly ScenarioRunOptions options = runner.options;
        private readonly Scenario scenario = prepared.Scenario;
        private readonly RunFolder folder = prepared.Folder;
        private readonly bool lostWritesAllowed = prepared.Scenario.Expect.LostWrites == LostWritesPolicy.Allowed;
        private IReplicatedCluster cluster = null!;
        private HistoryWriter? history;
        private Workload? workload;
        private ReplicationMonitor? monitor;
        private HistoryRecordingInjector? injector;
        private Action<ChaosPg.Cluster.Managers.Common.RoleChange>? recordRoleChange;

        public async Task<RunResults> ExecuteAsync(CancellationToken cancellationToken)
        {
            if (prepared.BringUpError is { } error)
            {
                return RunResults.Failure(error, lostWritesAllowed);
            }

            try
            {
                cluster = prepared.Cluster!;
                history = HistoryWriter.Create(folder.HistoryPath, scenario.Name, prepared.Seed, cluster.Primary.Name, scenario.Workload.EffectiveConsistencyModel);
                // A managed cluster's promotions are the manager's, a target's whoever runs it: the harness records what
                // it observes of them.
                if (cluster is IRoleChangingCluster observed)
                {
                    var writer = history;
                    var settings = (cluster as IManagedCluster)?.Facts.Settings;
                    recordRoleChange = change =>
                    {
                        ManagerEventRecorder.Record(writer, change, observed.Manager, node => monitor?.LastRoundWithout(node), settings);
                        options.Progress?.OnEvent(scenario.Name, $"observed ({observed.Manager}): {change.Evidence}");
                    };
                    observed.RoleChanged += recordRoleChange;
                }

                runner.Phase(scenario, $"preparing the {scenario.Workload.Kind} schema");
                await Workload.PrepareSchemaAsync(cluster.Primary.GetConnectionString(DatabaseRole.Superuser), scenario.Workload.Kind, cancellationToken).ConfigureAwait(false);
                string? scheduleError = await RunWorkloadAndScheduleAsync(cancellationToken).ConfigureAwait(false);
                var finalState = await HealAndSnapshotAsync(cancellationToken).ConfigureAwait(false);
                await DisposeWriterAsync().ConfigureAwait(false);
                runner.Phase(scenario, "checking");
                var parsed = await HistoryReader.ReadAsync(folder.HistoryPath, cancellationToken).ConfigureAwait(false);
                var suite = CheckerSuite.Default.Run(parsed, finalState);
                return scheduleError is null
                    ? RunResults.Judge(suite, Expectations(), lostWritesAllowed, scenario.Expect.RtoBound)
                    : RunResults.Failure(scheduleError, lostWritesAllowed, suite);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return RunResults.Failure(Cancelled, lostWritesAllowed);
            }
#pragma warning disable CA1031 // Whatever breaks, the run folder must say so and the teardown must run.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return RunResults.Failure(Describe(e), lostWritesAllowed);
            }
        }

        public async ValueTask DisposeAsync()
        {
            runner.Phase(scenario, "tearing down");
            await TearDownAsync().ConfigureAwait(false);
        }

        private ImmutableDictionary<string, string> Expectations() =>
            ScenarioExpectations.CheckerNames.ToImmutableDictionary(
                name => name,
                name => scenario.Expect.For(name).ToString().ToLowerInvariant(),
                StringComparer.Ordinal);

        // Returns why the schedule failed, or null; the workload always stops at the scenario's duration (or before, when the schedule broke).
        private async Task<string?> RunWorkloadAndScheduleAsync(CancellationToken cancellationToken)
        {
            injector = new HistoryRecordingInjector(
                new ClusterFaultInjector(cluster, prepared.Provided!.LinkFaults),
                history!,
                text => options.Progress?.OnEvent(scenario.Name, text));
            monitor = ReplicationMonitor.Start(cluster, history!, folder.ReplicationPath);
            workload = Workload.Create(
                WorkloadOptions.For(scenario.Workload, prepared.Seed, cluster.Primary.GetConnectionString(DatabaseRole.App)),
                history!,
                [.. cluster.Nodes.Select(n => new WorkloadNode(n.Name, n.ClientEndpoint.Host, n.ClientEndpoint.Port))]);
            runner.Phase(scenario, "running the workload and the schedule");
            var asked = Stopwatch.GetTimestamp();
            await workload.StartAsync(cancellationToken).ConfigureAwait(false);

            // The schedule's clock (and the scenario's duration) starts when the workload really runs, at its first
            // acknowledgement: under load the clients' connects could otherwise eat the window before the first fault.
            if (await Task.WhenAny(workload.FirstAcknowledgement, Task.Delay(FirstAcknowledgementDeadline, cancellationToken)).ConfigureAwait(false) != workload.FirstAcknowledgement)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await workload.StopAsync(cancellationToken).ConfigureAwait(false);
                return string.Create(CultureInfo.InvariantCulture, $"the workload had no write acknowledged within {FirstAcknowledgementDeadline.TotalSeconds:0} s of starting: the schedule did not run");
            }

            var workloadStart = DateTimeOffset.UtcNow;
            options.Progress?.OnEvent(scenario.Name, string.Create(CultureInfo.InvariantCulture, $"workload running: first write acknowledged {Stopwatch.GetElapsedTime(asked).TotalSeconds:0.000} s after it started; the schedule's clock starts now"));
            var executor = new ScheduleExecutor(injector, TimeProvider.System, options.CleanupTimeout);
            var schedule = executor.RunAsync(prepared.Plan, workloadStart, _ => { }, cancellationToken);
            var end = Task.Delay(scenario.Duration, cancellationToken);
            using var ticks = new CancellationTokenSource();
            var ticking = TickAsync(workloadStart, ticks.Token);
            var signalling = SignalNearTheEndAsync(ticks.Token);
            try
            {
                // A schedule that breaks ends the workload early: what follows no longer tests the scenario.
                if (await Task.WhenAny(schedule, end).ConfigureAwait(false) == end || schedule.IsCompletedSuccessfully)
                {
                    await end.ConfigureAwait(false);
                }
            }
            finally
            {
                await ticks.CancelAsync().ConfigureAwait(false);
                await ticking.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await signalling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            runner.Phase(scenario, "stopping the workload");
            await workload.StopAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await schedule.ConfigureAwait(false);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return "the schedule failed: " + Describe(e);
            }
        }

        // A suite brings up its next cluster during the last seconds of this workload, when the schedule is usually done.
        private async Task SignalNearTheEndAsync(CancellationToken cancellationToken)
        {
            if (nearTheEnd is null)
            {
                return;
            }

            var wait = scenario.Duration - NextRunLead;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            nearTheEnd();
        }

        private async Task TickAsync(DateTimeOffset workloadStart, CancellationToken cancellationToken)
        {
            if (options.Progress is not { } progress)
            {
                return;
            }

            using var timer = new PeriodicTimer(TickInterval);
            long previous = 0;
            var previousAt = Stopwatch.GetTimestamp();
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var stats = workload!.Snapshot();
                var (ok, failed, indeterminate) = (stats.WritesOk + stats.ReadsOk, stats.WritesFailed + stats.ReadsFailed, stats.WritesIndeterminate);
                var done = ok + failed + indeterminate;
                var now = Stopwatch.GetTimestamp();
                var rate = (done - previous) / Math.Max(Stopwatch.GetElapsedTime(previousAt, now).TotalSeconds, 0.001);
                (previous, previousAt) = (done, now);
                progress.OnTick(new RunTick(
                    scenario.Name,
                    DateTimeOffset.UtcNow - workloadStart,
                    scenario.Duration,
                    ok,
                    failed,
                    indeterminate,
                    rate,
                    injector?.ActiveFaults ?? [],
                    monitor?.MaxReplayLagBytes));
            }
        }

        private async Task<FinalState> HealAndSnapshotAsync(CancellationToken cancellationToken)
        {
            // The closing heal and wait use their own timeouts: they restore the cluster so it can be judged.
            var index = scenario.Schedule.Length;
            runner.Phase(scenario, "healing");
            using (var heal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                heal.CancelAfter(options.CleanupTimeout);
                await injector!.RunActionAsync(new PlannedStep(index, new HealAction(scenario.Duration), []), heal.Token).ConfigureAwait(false);
            }

            runner.Phase(scenario, "waiting for convergence");
            await injector.RunActionAsync(
                new PlannedStep(index + 1, new WaitConvergedAction(scenario.Duration, options.ConvergenceDeadline), []),
                cancellationToken).ConfigureAwait(false);
            await monitor!.DisposeAsync().ConfigureAwait(false);
            runner.Phase(scenario, "taking snapshots");
            // Where someone else may change roles (a target's operator, an HA manager), the primary is the one last
            // seen; otherwise the schedule's.
            var finalPrimary = cluster is IRoleChangingCluster
                ? cluster.Primary.Name
                : scenario.Schedule.OfType<PromoteAction>().LastOrDefault()?.Node ?? NodeNames.Primary;
            var finalState = await SnapshotTaker.TakeAsync(
                [.. cluster.Nodes.Select(n => (n.Name, n.GetConnectionString(DatabaseRole.Superuser)))],
                finalPrimary,
                history!.ElapsedMicros,
                scenario.Workload.Kind,
                cancellationToken).ConfigureAwait(false);
            await FinalStateStore.SaveAsync(folder.SnapshotsPath, finalState, cancellationToken).ConfigureAwait(false);
            return finalState;
        }

        private void StopRecordingRoleChanges()
        {
            if (recordRoleChange is not null && cluster is IRoleChangingCluster observed)
            {
                observed.RoleChanged -= recordRoleChange;
                recordRoleChange = null;
            }
        }

        private async Task DisposeWriterAsync()
        {
            StopRecordingRoleChanges();
            if (workload is not null)
            {
                await workload.DisposeAsync().ConfigureAwait(false);
            }

            if (history is not null)
            {
                await history.DisposeAsync().ConfigureAwait(false);
            }
        }

        // Reverse order of bring-up; each step is bounded on its own and one failing does not keep the next from running.
        private async Task TearDownAsync()
        {
            StopRecordingRoleChanges();
            var steps = new List<(string Name, Func<ValueTask> Dispose)>();
            if (workload is not null)
            {
                steps.Add(("workload", workload.DisposeAsync));
            }

            if (monitor is not null)
            {
                steps.Add(("replication monitor", monitor.DisposeAsync));
            }

            if (history is not null)
            {
                steps.Add(("history", history.DisposeAsync));
            }

            steps.Add(("cluster, link router and Toxiproxy", prepared.DisposeAsync));

            foreach (var (name, dispose) in steps)
            {
                try
                {
                    await dispose().AsTask().WaitAsync(options.CleanupTimeout).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A teardown step that fails is reported; the others must still run.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    options.Progress?.OnEvent(scenario.Name, $"teardown of the {name} failed: {Describe(e)}");
                }
            }
        }
    }
}
