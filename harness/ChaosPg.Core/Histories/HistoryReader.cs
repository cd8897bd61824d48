using System.Globalization;
using System.Text.Json;

namespace ChaosPg.Core.Histories;

/// <summary>Loads a history file, tolerating a torn last line left by a killed harness.</summary>
public static class HistoryReader
{
    /// <summary>Reads and pairs every line of <paramref name="path"/>.</summary>
    /// <exception cref="HistoryFormatException">A line other than a torn last one is not a history line.</exception>
    public static async Task<History> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads and pairs every line of <paramref name="stream"/>; <paramref name="name"/> appears in errors.</summary>
    public static async Task<History> ReadAsync(Stream stream, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var builder = new HistoryBuilder();
        var parser = new HistoryLineParser();
        var buffer = new byte[1 << 20];
        var filled = 0;
        var lineNumber = 0L;
        while (true)
        {
            if (filled == buffer.Length)
            {
                // A line longer than the buffer: grow rather than split it.
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
            var consumed = ParseCompleteLines(buffer.AsSpan(0, filled), parser, builder, name, ref lineNumber);
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }

        if (filled > 0)
        {
            lineNumber++;
            if (!TryParse(buffer.AsSpan(0, filled), parser, builder, out _))
            {
                builder.MarkTornTail();
            }
        }

        return builder.Build();
    }

    private static int ParseCompleteLines(ReadOnlySpan<byte> data, HistoryLineParser parser, HistoryBuilder builder, string name, ref long lineNumber)
    {
        var consumed = 0;
        while (true)
        {
            var newline = data[consumed..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return consumed;
            }

            lineNumber++;
            if (!TryParse(data.Slice(consumed, newline), parser, builder, out var error))
            {
                throw new HistoryFormatException(string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}: not a history line: {error}"));
            }

            consumed += newline + 1;
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> line, HistoryLineParser parser, HistoryBuilder builder, out string? error)
    {
        error = null;
        if (line.Trim((byte)' ').Trim((byte)'\r').IsEmpty)
        {
            return true;
        }

        try
        {
            builder.Add(parser.Parse(line));
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            error = e.Message;
            return false;
        }
    }
}
