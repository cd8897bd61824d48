using System.Collections.Immutable;

namespace ChaosPg.Cluster.Target;

/// <summary>The user's Toxiproxy in front of a target: its API and the existing proxy that carries each link.</summary>
/// <param name="Url">The API, e.g. http://127.0.0.1:8474.</param>
/// <param name="Links">Proxy name by link name (<c>client-&gt;primary</c>, <c>replica1-&gt;primary</c>).</param>
public sealed record TargetToxiproxy(Uri Url, ImmutableDictionary<string, string> Links);
