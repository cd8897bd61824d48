namespace ChaosPg.Runner.Tests.Scenarios;

/// <summary>Builds scenario files for tests from a valid base, replacing only the part a test is about.</summary>
internal static class ScenarioText
{
    /// <summary>The marker a bad file puts at the end of the line where the error must be reported.</summary>
    public const string Marker = "# <-";

    public static string Build(
        string schedule = "",
        string cluster = "  replicas: 2\n",
        string workload = "  kind: bank\n  writers: 2\n",
        string duration = "20s",
        string extra = "") =>
        "name: test-scenario\n"
        + "description: a scenario built by a test\n"
        + "cluster:\n" + cluster
        + "workload:\n" + workload
        + "duration: " + duration + "\n"
        + extra
        + (schedule.Length == 0 ? string.Empty : "schedule:\n" + schedule);

    /// <summary>The 1-based line that carries <see cref="Marker"/>.</summary>
    public static int MarkedLine(string yaml)
    {
        string[] lines = yaml.Split('\n');
        int index = Array.FindIndex(lines, line => line.Contains(Marker, StringComparison.Ordinal));
        return index < 0 ? throw new ArgumentException("The text has no marked line.", nameof(yaml)) : index + 1;
    }
}
