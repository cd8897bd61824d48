using ChaosPg.Runner.Scenarios;

namespace ChaosPg.Runner.Workloads;

/// <summary>
/// What the workload runs: its kind (<c>bank</c> or <c>orders</c>), clients, total rate (null: unthrottled), client
/// timeout (null: none, as a scenario without client-timeout says; Npgsql's command timeout is whole seconds, so it is rounded up), the run seed and the app
/// role's connection string (its user, password and database are used; hosts, ports and timeouts are the workload's).
/// </summary>
public sealed record WorkloadOptions(
    string Kind,
    int Writers,
    int Readers,
    int? Rate,
    TimeSpan? ClientTimeout,
    long Seed,
    string AppConnectionString,
    string Isolation = "serializable")
{
    /// <summary>The options of a scenario's workload for one run.</summary>
    public static WorkloadOptions For(ScenarioWorkload workload, long seed, string appConnectionString)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return new WorkloadOptions(workload.Kind, workload.Writers, workload.Readers, workload.Rate, workload.ClientTimeout, seed, appConnectionString, workload.EffectiveIsolation);
    }
}
