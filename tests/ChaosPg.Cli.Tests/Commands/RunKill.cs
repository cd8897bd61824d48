using System.Diagnostics;
using System.Globalization;
using ChaosPg.Cli.Tests.Packaging;
using NUnit.Framework;

namespace ChaosPg.Cli.Tests.Commands;

/// <summary>What a SIGKILLed run left: its work directory, what was still there after the allowed time, and the last output.</summary>
internal sealed record KilledRun(string? WorkDirectory, IReadOnlyList<string> Left, string Context);

/// <summary>Starts a real <c>chaospg run</c>, SIGKILLs it at a random moment once a phase shows, and polls for what is left.</summary>
internal static class RunKill
{
    /// <summary>How long the run's reaper is given to leave nothing behind.</summary>
    public static readonly TimeSpan Allowed = TimeSpan.FromSeconds(10);

    private static readonly string Chaospg = Path.Combine(AppContext.BaseDirectory, "chaospg.dll");

    /// <summary>
    /// Runs <c>chaospg run</c> with <paramref name="runArguments"/> (which name <paramref name="reports"/> as --out),
    /// kills it during <paramref name="phase"/> (<paramref name="beforeKill"/> sees its work directory just before),
    /// and polls for 10 s for <see cref="RunLeftovers"/> and for what <paramref name="alsoLeft"/> finds.
    /// </summary>
    public static async Task<KilledRun> DuringAsync(
        IEnumerable<string> runArguments,
        string reports,
        string phase,
        Action<string?>? beforeKill = null,
        Func<string?, IEnumerable<string>>? alsoLeft = null)
    {
        var random = new Random(Random.Shared.Next());
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Checkout.Root };
        foreach (var argument in (string[])[Chaospg, "run", .. runArguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var harness = Process.Start(start)!;
        var output = new List<string>();
        string? workDirectory = null;
        TimeSpan killedAfter;
        var clock = Stopwatch.StartNew();
        try
        {
            _ = harness.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            while (await harness.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
                workDirectory ??= RunLeftovers.WorkDirectoryOf(harness.Id);
                if (line.Contains(phase, StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.That(harness.HasExited, Is.False, $"the run ended before '{phase}':\n{string.Join('\n', output)}");
            // A random moment inside the phase, not its first line only.
            await Task.Delay(random.Next(0, 800));
            workDirectory ??= RunLeftovers.WorkDirectoryOf(harness.Id);
            beforeKill?.Invoke(workDirectory);
        }
        finally
        {
            harness.Kill();   // SIGKILL
            killedAfter = clock.Elapsed;
            await harness.WaitForExitAsync();
        }

        var gone = Stopwatch.StartNew();
        IReadOnlyList<string> left;
        while ((left = [.. RunLeftovers.Find(reports, workDirectory), .. alsoLeft?.Invoke(workDirectory) ?? []]).Count > 0 && gone.Elapsed < Allowed)
        {
            await Task.Delay(50);
        }

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"killed {killedAfter.TotalSeconds:0.0} s in, during '{phase}'; work directory {workDirectory ?? "(not made yet)"}; {left.Count} thing(s) left after {gone.Elapsed.TotalSeconds:0.00} s"));
        return new KilledRun(workDirectory, left, $"after {Allowed.TotalSeconds:0} s (killed during '{phase}'):\n{string.Join('\n', output.TakeLast(5))}");
    }
}
