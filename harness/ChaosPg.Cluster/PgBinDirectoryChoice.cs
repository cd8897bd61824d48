namespace ChaosPg.Cluster;

/// <summary>A bin directory chosen by <see cref="PgBinariesLocator"/> and the rule that chose it.</summary>
public sealed record PgBinDirectoryChoice(string BinDirectory, string Source);
