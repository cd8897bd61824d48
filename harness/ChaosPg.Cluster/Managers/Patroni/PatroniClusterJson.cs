using System.Collections.Immutable;
using System.Text.Json;
using ChaosPg.Cluster.Managers.Common;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>Reads one answer of Patroni's REST <c>/cluster</c> into the manager-neutral <see cref="ManagerView"/>.</summary>
public static class PatroniClusterJson
{
    /// <summary>The evidence source of a view read from <c>/cluster</c>.</summary>
    public const string Source = "patroni /cluster";

    /// <summary>Parses a <c>/cluster</c> body; throws <see cref="JsonException"/> on one that is not.</summary>
    public static ManagerView Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("members", out var members) || members.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("a Patroni /cluster answer has a members array");
        }

        var parsed = ImmutableArray.CreateBuilder<ManagerMember>();
        foreach (var member in members.EnumerateArray())
        {
            var role = member.TryGetProperty("role", out var r) ? r.GetString() ?? string.Empty : string.Empty;
            parsed.Add(new ManagerMember(
                member.GetProperty("name").GetString()!,
                role,
                member.TryGetProperty("state", out var state) ? state.GetString() ?? string.Empty : string.Empty,
                member.TryGetProperty("timeline", out var timeline) && timeline.ValueKind == JsonValueKind.Number ? timeline.GetInt32() : null,
                member.TryGetProperty("lag", out var lag) && lag.ValueKind == JsonValueKind.Number ? lag.GetInt64() : null,
                IsLeader: role is "leader" or "standby_leader"));
        }

        var paused = root.TryGetProperty("pause", out var pause) && pause.ValueKind == JsonValueKind.True;
        return new ManagerView(Source, parsed.ToImmutable(), paused);
    }
}
