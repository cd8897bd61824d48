using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace ChaosPg.Cli.Commands;

/// <summary>Parsers and checks for option values that System.CommandLine cannot convert, or would reject in words a user cannot act on.</summary>
internal static partial class CliValues
{
    /// <summary>An option holding the base URL of a running Toxiproxy's API (System.CommandLine has no converter for <see cref="Uri"/>).</summary>
    public static Option<Uri?> ToxiproxyUrl(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0)
            {
                return uri;
            }

            result.AddError($"{name} '{text}' is not an http:// URL of a Toxiproxy API; give one such as http://127.0.0.1:8474");
            return null;
        },
    };

    /// <summary>Adds a check that a port option is 0 (when allowed) to 65535.</summary>
    public static Option<int> PortRange(this Option<int> option, bool allowZero)
    {
        var lowest = allowZero ? 0 : 1;
        return option.Check(port => port >= lowest && port <= 65535, port => $"{option.Name} {port} is not a TCP port; use {lowest} to 65535{(allowZero ? " (0 picks a free one)" : string.Empty)}");
    }

    /// <summary>Adds a check that an integer option is at least <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum) =>
        option.Check(value => value >= minimum, value => $"{option.Name} must be at least {minimum}, got {value}");

    /// <summary>
    /// Adds a check of the option's value. A value that did not convert is left alone: its parse error is reported, and
    /// reading it here would throw out of the parser (exit 134 with a stack trace).
    /// </summary>
    public static Option<int> Check(this Option<int> option, Func<int, bool> valid, Func<int, string> message)
    {
        option.Validators.Add(result =>
        {
            int value;
            try
            {
                value = result.GetValueOrDefault<int>();
            }
            catch (InvalidOperationException)
            {
                return;
            }

            if (!valid(value))
            {
                result.AddError(message(value));
            }
        });
        return option;
    }

    /// <summary>
    /// The parse error in words a user can act on: System.CommandLine names .NET types when a value does not convert
    /// ("as expected type 'System.Nullable`1[System.Int64]'").
    /// </summary>
    public static string Describe(string message)
    {
        var match = CannotParse().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var (value, option, type) = (match.Groups["value"].Value, match.Groups["option"].Value, match.Groups["type"].Value);
        var expected = type switch
        {
            _ when type.Contains("Int32", StringComparison.Ordinal) => "a whole number",
            _ when type.Contains("Int64", StringComparison.Ordinal) => "a whole number (a 64-bit integer such as 42)",
            _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ => "a value of the kind `--help` shows",
        };
        return $"{option} '{value}' is not {expected}";
    }

    /// <summary>
    /// The first token that looks like an option but is none of the command's, or null. System.CommandLine hands such a
    /// token to an argument or a many-valued option (<c>--catalog X --bogus-flag</c> made "--bogus-flag" a scenario name).
    /// </summary>
    public static string? UnknownOption(ParseResult parseResult)
    {
        foreach (var token in parseResult.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                return null;
            }

            if (token.Type == TokenType.Argument && OptionLike().IsMatch(token.Value) && !File.Exists(token.Value) && !Directory.Exists(token.Value))
            {
                return token.Value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex CannotParse();

    [GeneratedRegex("^(--?[A-Za-z])")]
    private static partial Regex OptionLike();
}
