using System.Globalization;
using ChaosPg.Cluster.Local;

namespace ChaosPg.Cluster.Docker;

/// <summary>
/// The labels on every container, network and volume the Docker backend creates: which run, and which harness
/// process (pid and start time, so a reused pid is not mistaken for the owner) owns it.
/// </summary>
public static class DockerLabels
{
    /// <summary>The run id; present on everything ChaosPg creates.</summary>
    public const string Run = "org.chaospg.run";

    /// <summary>The pid of the harness process that owns the run.</summary>
    public const string OwnerPid = "org.chaospg.owner-pid";

    /// <summary>That process's start time (clock ticks since boot, from /proc).</summary>
    public const string OwnerStart = "org.chaospg.owner-start";

    /// <summary>The node (or <c>toxiproxy</c>) a container is.</summary>
    public const string Node = "org.chaospg.node";

    /// <summary>On a template image: the template's key (see DockerTemplate).</summary>
    public const string Template = "org.chaospg.template";

    /// <summary>On a template image: the id of the PostgreSQL image it was made from.</summary>
    public const string TemplateImage = "org.chaospg.template-image";

    /// <summary>On a template image: the superuser's password in the template, which every run replaces.</summary>
    public const string TemplatePassword = "org.chaospg.template-password";

    /// <summary>
    /// A Docker list filter for objects carrying <paramref name="label"/> (a name, or <c>name=value</c>), as the
    /// containers, networks, volumes and images list calls take it.
    /// </summary>
    public static IDictionary<string, IDictionary<string, bool>> Filter(string label) =>
        new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } };

    /// <summary>The labels of a run owned by this process.</summary>
    public static IReadOnlyDictionary<string, string> For(string runId) =>
        new Dictionary<string, string>(Owner(), StringComparer.Ordinal) { [Run] = runId };

    /// <summary>The labels naming this process as the owner.</summary>
    private static Dictionary<string, string> Owner()
    {
        var self = Environment.ProcessId;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OwnerPid] = self.ToString(CultureInfo.InvariantCulture),
            [OwnerStart] = (ProcessTable.StartTime(self) ?? 0).ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Whether the process the labels name still runs (the same process: pid and start time agree).</summary>
    public static bool OwnerIsAlive(IDictionary<string, string>? labels)
    {
        if (labels is null
            || !labels.TryGetValue(OwnerPid, out var pidText) || !int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid)
            || !labels.TryGetValue(OwnerStart, out var startText) || !long.TryParse(startText, CultureInfo.InvariantCulture, out var start))
        {
            return false;
        }

        return ProcessTable.IsAlive(pid) && ProcessTable.StartTime(pid) == start;
    }
}
