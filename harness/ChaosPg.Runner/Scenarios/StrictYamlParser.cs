using System.Collections.Immutable;
using System.Globalization;
using ChaosPg.Core.Schedule;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ChaosPg.Runner.Scenarios;

/// <summary>
/// The strict YAML reading that scenario files and target files share: unknown keys, wrong types and missing keys are
/// collected (never thrown), each with the file, line and column it comes from, so a file shows every error at once.
/// Paths name a value as keys joined by dots (<c>cluster.replicas</c>, <c>schedule[2].at</c>).
/// </summary>
public abstract class StrictYamlParser
{
    private readonly string file;
    private readonly List<ScenarioError> errors = [];
    private readonly Dictionary<string, Mark> marks = new(StringComparer.Ordinal);
    private readonly HashSet<string> brokenPaths = new(StringComparer.Ordinal);
    private Mark documentStart = Mark.Empty;

    /// <param name="file">The file errors name.</param>
    protected StrictYamlParser(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        this.file = file;
    }

    /// <summary>The errors found so far.</summary>
    protected IReadOnlyList<ScenarioError> Errors => errors;

    /// <summary>Where each path's value starts.</summary>
    protected IDictionary<string, Mark> Marks => marks;

    /// <summary>Paths whose value was wrong: later checks of them (or below them) would only repeat the error.</summary>
    protected ISet<string> BrokenPaths => brokenPaths;

    /// <summary>Every error, in file order, each once.</summary>
    protected ImmutableArray<ScenarioError> SortedErrors() =>
        [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column).Distinct()];

    /// <summary>How errors name the mapping at <paramref name="path"/> ("the scenario" for the root).</summary>
    protected abstract string Describe(string path);

    /// <summary>The root node of the single YAML document of <paramref name="text"/>, or null (with the error recorded).</summary>
    protected YamlNode? LoadRoot(string text, string expected, string kind = "a scenario")
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > ScenarioLimits.MaxFileCharacters)
        {
            Error(Mark.Empty, $"the file has {text.Length} characters; {kind} may have at most {ScenarioLimits.MaxFileCharacters} (the catalog's longest scenario has under 3000)");
            return null;
        }

        var stream = new YamlStream();
        try
        {
            // YamlStream.Load recurses once per level, so a deep enough nesting overflows the stack and kills the
            // process; the flat event stream is checked first.
            if (TooDeep(text) is { } deep)
            {
                Error(deep, $"the YAML nests deeper than {ScenarioLimits.MaxNesting} levels here; {kind} needs at most 4 (a list of mappings of mappings)");
                return null;
            }

            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            Error(e.Start, $"not valid YAML: {e.Message}");
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some malformed input (an unclosed flow sequence) and gives no position.
            Error(Mark.Empty, $"not valid YAML (position unknown): {e.Message}");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            Error(Mark.Empty, $"the file is empty; expected {expected}");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            Error(stream.Documents[1].RootNode.Start, $"expected one YAML document, found {stream.Documents.Count}");
        }

        YamlNode root = stream.Documents[0].RootNode;
        documentStart = root.Start;
        return root;
    }

    // Where the nesting first goes past the limit, or null. Reads events one at a time, so depth costs no stack.
    private static Mark? TooDeep(string text)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart when ++depth > ScenarioLimits.MaxNesting:
                    return parser.Current.Start;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }

        return null;
    }

    protected Dictionary<string, YamlNode>? Mapping(YamlNode node, string path, ImmutableArray<string>? allowed, string where)
    {
        if (node is not YamlMappingNode mapping)
        {
            Fail(path, node.Start, allowed is { } keys
                ? $"{where} must be a mapping with the keys {string.Join(", ", keys)}"
                : $"{where} must be a mapping of names to values");
            return null;
        }

        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                Error(keyNode.Start, $"keys in {where} must be plain names");
                brokenPaths.Add(path);
                continue;
            }

            if (allowed is { } known && !known.Contains(key))
            {
                Error(keyNode.Start, $"unknown key '{key}' in {where}; expected one of: {string.Join(", ", known)}");
                continue;
            }

            marks[Child(path, key)] = value.Start;
            result[key] = value;
        }

        return result;
    }

    protected YamlNode? Required(Dictionary<string, YamlNode> keys, YamlNode mapping, string path, string key, string expected)
    {
        if (keys.TryGetValue(key, out var value))
        {
            return value;
        }

        Fail(Child(path, key), mapping.Start, $"missing key '{key}' in {Describe(path)}; expected {expected}");
        return null;
    }

    protected string? RequiredText(Dictionary<string, YamlNode> keys, YamlNode mapping, string path, string key, string expected) =>
        Required(keys, mapping, path, key, expected) is { } node ? Text(node, Child(path, key), expected) : null;

    protected string? Text(YamlNode node, string path, string expected)
    {
        if (node is not YamlScalarNode scalar)
        {
            Fail(path, node.Start, $"{Leaf(path)} must be a single value; expected {expected}");
            return null;
        }

        // An empty or ~ plain scalar is YAML's null: the key is there but says nothing.
        if (scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~")
        {
            Fail(path, node.Start, $"{Leaf(path)} has no value; expected {expected}");
            return null;
        }

        return scalar.Value ?? string.Empty;
    }

    protected int? WholeNumber(YamlNode? node, string path) =>
        node is not null && Text(node, path, "a whole number") is { } text ? ParseInt(text, node, path, "a whole number") : null;

    protected int? ParseInt(string text, YamlNode node, string path, string expected)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        Fail(path, node.Start, $"{Leaf(path)} '{text}' is not a whole number; expected {expected}");
        return null;
    }

    protected TimeSpan? Duration(YamlNode? node, string path)
    {
        if (node is null || Text(node, path, DurationText.Expected) is not { } text)
        {
            return null;
        }

        if (DurationText.TryParse(text, out var value))
        {
            return value;
        }

        Fail(path, node.Start, $"{Leaf(path)} '{text}' is not a duration; expected {DurationText.Expected}");
        return null;
    }

    protected string? OneOf(YamlNode node, string path, string what, ImmutableArray<string> values)
    {
        if (Text(node, path, $"one of {string.Join(", ", values)}") is not { } text)
        {
            return null;
        }

        if (values.Contains(text))
        {
            return text;
        }

        Fail(path, node.Start, $"unknown {what} '{text}'; expected one of: {string.Join(", ", values)}");
        return null;
    }

    protected static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    protected static string Leaf(string path) => path[(path.LastIndexOf('.') + 1)..];

    protected bool IsBroken(string path) =>
        brokenPaths.Any(broken => path == broken || path.StartsWith(broken + ".", StringComparison.Ordinal) || path.StartsWith(broken + "[", StringComparison.Ordinal));

    protected Mark MarkOf(string path)
    {
        for (string current = path; current.Length > 0; current = current[..Math.Max(0, current.LastIndexOfAny(['.', '[']))])
        {
            if (marks.TryGetValue(current, out var mark))
            {
                return mark;
            }
        }

        return documentStart;
    }

    protected void Fail(string path, Mark mark, string message)
    {
        brokenPaths.Add(path);
        Error(mark, message);
    }

    protected void Error(Mark mark, string message) =>
        errors.Add(new ScenarioError(file, Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column), message));
}
