using System.Collections.Immutable;

namespace ChaosPg.Toxiproxy;

/// <summary>A proxy as reported by the Toxiproxy API.</summary>
/// <param name="Name">Unique proxy name.</param>
/// <param name="Listen">Listen address; the actual bound <c>host:port</c> once the proxy has started.</param>
/// <param name="Upstream">Upstream <c>host:port</c>.</param>
/// <param name="Enabled">Whether the proxy accepts connections.</param>
/// <param name="Toxics">Upstream toxics first, then downstream toxics, each in the order added.</param>
public sealed record ToxiproxyProxy(string Name, string Listen, string Upstream, bool Enabled, ImmutableArray<Toxic> Toxics);
