using System.Collections.Immutable;

namespace ChaosPg.Cluster.Target;

/// <summary>A running cluster described as a target file would (<c>cluster up --write-target</c>), with the passwords its variables must hold.</summary>
/// <param name="Spec">What the target file says; no password in it.</param>
/// <param name="Environment">The value of each password variable the spec names, for an env file only the owner reads.</param>
public sealed record TargetDescription(TargetSpec Spec, ImmutableDictionary<string, string> Environment);
