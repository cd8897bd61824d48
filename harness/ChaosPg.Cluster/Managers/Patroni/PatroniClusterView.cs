using System.Collections.Immutable;
using System.Text.Json;

namespace ChaosPg.Cluster.Managers.Patroni;

/// <summary>What one answer of Patroni's REST <c>/cluster</c> says: the members, the leader, maintenance mode.</summary>
public sealed record PatroniClusterView(ImmutableArray<PatroniMember> Members, bool Paused)
{
    /// <summary>The member holding the leader key; null when no one does.</summary>
    public string? Leader => Members.FirstOrDefault(m => m.IsLeader)?.Name;

    /// <summary>The member named <paramref name="name"/>, or null when the DCS has no such member (its key expired).</summary>
    public PatroniMember? this[string name] => Members.FirstOrDefault(m => m.Name == name);

    /// <summary>Parses a <c>/cluster</c> body; throws <see cref="JsonException"/> on one that is not.</summary>
    public static PatroniClusterView Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("members", out var members) || members.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("a Patroni /cluster answer has a members array");
        }

        var parsed = ImmutableArray.CreateBuilder<PatroniMember>();
        foreach (var member in members.EnumerateArray())
        {
            parsed.Add(new PatroniMember(
                member.GetProperty("name").GetString()!,
                member.TryGetProperty("role", out var role) ? role.GetString() ?? string.Empty : string.Empty,
                member.TryGetProperty("state", out var state) ? state.GetString() ?? string.Empty : string.Empty,
                member.TryGetProperty("timeline", out var timeline) && timeline.ValueKind == JsonValueKind.Number ? timeline.GetInt32() : null,
                member.TryGetProperty("lag", out var lag) && lag.ValueKind == JsonValueKind.Number ? lag.GetInt64() : null));
        }

        var paused = root.TryGetProperty("pause", out var pause) && pause.ValueKind == JsonValueKind.True;
        return new PatroniClusterView(parsed.ToImmutable(), paused);
    }
}
