namespace ChaosPg.Cluster.Local;

/// <summary>Quoting for POSIX sh (and Python's shlex, which splits the same way).</summary>
internal static class ShellQuoting
{
    /// <summary><paramref name="argument"/> as one shell word: bare when it is only safe characters, single-quoted otherwise.</summary>
    public static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "._/:@=-{}".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
