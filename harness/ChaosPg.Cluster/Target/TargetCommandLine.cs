using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace ChaosPg.Cluster.Target;

/// <summary>
/// A fault command of a target file: a shell command line whose <c>{name}</c> placeholders are filled from the
/// node's variables (and <c>{node}</c>, its name), run with <c>/bin/sh -c</c>. Values are inserted verbatim, so the
/// parser allows only plain values (letters, digits and <c>._/:@=-</c>) that no shell reads twice.
/// </summary>
public static partial class TargetCommandLine
{
    /// <summary>The placeholder every node has: its name.</summary>
    public const string NodePlaceholder = "node";

    /// <summary>How long one command may take before it is killed and the fault fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>The placeholder names <paramref name="template"/> uses, in order of first use.</summary>
    public static ImmutableArray<string> Placeholders(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return [.. PlaceholderPattern().Matches(template).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>True when <paramref name="value"/> may be put into a command line as it is.</summary>
    public static bool IsPlainValue(string value) => value.Length > 0 && PlainValuePattern().IsMatch(value);

    /// <summary>The command line with every placeholder filled.</summary>
    /// <exception cref="ArgumentException">A placeholder has no value.</exception>
    public static string Expand(string template, string node, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(variables);
        return PlaceholderPattern().Replace(template, m =>
            m.Groups[1].Value == NodePlaceholder ? node
            : variables.TryGetValue(m.Groups[1].Value, out var value) ? value
            : throw new ArgumentException($"the command '{template}' uses {{{m.Groups[1].Value}}}, which {node} has no value for", nameof(template)));
    }

    /// <summary>Runs the expanded command line; a non-zero exit (or a timeout) fails with what it printed on stderr.</summary>
    public static async Task RunAsync(string commandName, string node, string commandLine, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("/bin/sh", ["-c", commandLine], cancellationToken: limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the {commandName} command of {node} ({commandLine}) did not finish within {Timeout.TotalSeconds:0} s");
        }

        if (result.ExitCode != 0)
        {
            var said = string.Join(" | ", (result.StandardError + "\n" + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
            throw new InvalidOperationException($"the {commandName} command of {node} ({commandLine}) exited with {result.ExitCode}: {(said.Length == 0 ? "no output" : said)}");
        }
    }

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9_-]*)\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._/:@=-]+$")]
    private static partial Regex PlainValuePattern();
}
