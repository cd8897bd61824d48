using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace ChaosPg.Runner.Runs;

/// <summary>Loads <c>replication.jsonl</c>, skipping blank lines and a torn last line left by a killed harness.</summary>
public static class ReplicationSampleReader
{
    /// <exception cref="JsonException">A line other than the last one is not a sample.</exception>
    public static async Task<ImmutableArray<ReplicationSample>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        var samples = ImmutableArray.CreateBuilder<ReplicationSample>(lines.Length);
        var last = Array.FindLastIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        for (var i = 0; i <= last; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                samples.Add(JsonSerializer.Deserialize(lines[i], RunsJsonContext.Default.ReplicationSample)
                    ?? throw new JsonException("null sample"));
            }
            catch (JsonException) when (i == last)
            {
                // The harness was killed while writing its last sample: the samples before it stand.
            }
            catch (JsonException e)
            {
                throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"{path}:{i + 1}: not a replication sample: {e.Message}"), e);
            }
        }

        return samples.ToImmutable();
    }
}
