using System.Diagnostics;
using ChaosPg.Cli.Tests.Packaging;

namespace ChaosPg.Cli.Tests;

/// <summary>The built <c>chaospg</c> run as a separate process, the way a user runs it: its own stdout, stderr and exit code.</summary>
internal static class ChaospgProcess
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "chaospg.dll");

    /// <summary>
    /// Starts chaospg in the checkout (so --catalog finds scenarios/); with <paramref name="umask"/>, under that umask;
    /// <paramref name="environment"/> adds variables to its environment (a target's passwords).
    /// </summary>
    public static Process Start(IEnumerable<string> arguments, string? umask = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(umask is null ? "dotnet" : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Checkout.Root,
        };
        if (umask is not null)
        {
            foreach (var argument in (string[])["-c", $"umask {umask} && exec dotnet \"$@\"", "sh"])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs chaospg to its end (killed after <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(TimeSpan timeout, IEnumerable<string> arguments, string? umask = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(arguments, umask, environment);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                // SIGINT first: a run tears its cluster down on Ctrl-C, a SIGKILL would leave servers for the sweeper.
                using (var interrupt = Process.Start("kill", ["-s", "INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await interrupt.WaitForExitAsync();
                }

                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    /// <summary>Reads stdout until a line contains <paramref name="text"/>.</summary>
    public static async Task<string> ReadLineContainingAsync(Process process, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new EndOfStreamException($"chaospg exited without printing '{text}'");
    }

    /// <summary>The API address a started <c>chaospg proxy</c> prints.</summary>
    public static async Task<Uri> ProxyApiUriAsync(Process process)
    {
        var line = await ReadLineContainingAsync(process, "listening on ");
        return new Uri(line[(line.IndexOf("listening on ", StringComparison.Ordinal) + 13)..].Split(' ')[0]);
    }

    /// <summary>Sends Ctrl-C (SIGINT) and waits for the process to end.</summary>
    public static async Task StopWithCtrlCAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-s", "INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
    }
}
