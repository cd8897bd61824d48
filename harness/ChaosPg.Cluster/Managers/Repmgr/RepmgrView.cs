using System.Collections.Immutable;
using ChaosPg.Cluster.Managers.Common;

namespace ChaosPg.Cluster.Managers.Repmgr;

/// <summary>
/// repmgr keeps its view in the table <c>repmgr.nodes</c>, written on the primary and replicated to the standbys; during
/// a split every writable server has its own copy (the old primary still names itself, a promoted standby names
/// itself and marks the old primary inactive). The view taken is the copy of the writable server on the newest
/// timeline, the one a promotion wrote last; with no writable server answering, that of the first standby by name (all
/// are copies of the lost primary's). Pure: the reader gathers the answers.
/// </summary>
public static class RepmgrView
{
    /// <summary>Where the view says it came from, for evidence.</summary>
    public const string Source = "repmgr.nodes";

    /// <summary>The view from <paramref name="answers"/>, or null when no node answered.</summary>
    public static ManagerView? Choose(IEnumerable<RepmgrAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var chosen = answers
            .OrderBy(a => a.InRecovery)
            .ThenByDescending(a => a.Timeline)
            .ThenBy(a => a.From, StringComparer.Ordinal)
            .FirstOrDefault();
        if (chosen is null)
        {
            return null;
        }

        var members = chosen.Rows
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new ManagerMember(r.Name, r.Type, r.Active ? "active" : "inactive", Timeline: null, LagBytes: null, IsLeader: r.Type == "primary" && r.Active));
        return new ManagerView($"{Source} on {chosen.From}", [.. members], chosen.Paused);
    }
}
