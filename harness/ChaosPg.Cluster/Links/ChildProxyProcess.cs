using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ChaosPg.Cluster.Reaping;
using ChaosPg.Toxiproxy;

namespace ChaosPg.Cluster.Links;

/// <summary>
/// A <c>chaospg proxy</c> child process: the embedded server in a process of its own, where it may complete socket
/// operations inline (it blocks no thread), which the harness's own process must not. Pass <see cref="ApiUri"/> to
/// <see cref="ToxiproxyProvider"/> as the URL. Stopped on disposal.
/// </summary>
public sealed class ChildProxyProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process process;
    private int disposed;

    private ChildProxyProcess(Process process, Uri apiUri)
    {
        this.process = process;
        ApiUri = apiUri;
    }

    /// <summary>The child's Toxiproxy API, on 127.0.0.1 and a free port.</summary>
    public Uri ApiUri { get; }

    /// <summary>
    /// Starts <paramref name="command"/> (the executable, then its leading arguments, e.g. <c>chaospg proxy</c>) with
    /// <c>--host 127.0.0.1 --port N</c> appended, and waits until it answers /version.
    /// </summary>
    /// <param name="command">The executable, then its leading arguments.</param>
    /// <param name="reaper">The run's reaper, told of the child so that it does not outlive a killed harness; null: none.</param>
    /// <param name="cancellationToken">Cancels the wait for the API.</param>
    public static async Task<ChildProxyProcess> StartAsync(ImmutableArray<string> command, RunReaper? reaper = null, CancellationToken cancellationToken = default)
    {
        if (command.IsDefaultOrEmpty)
        {
            throw new ArgumentException("The command needs at least an executable.", nameof(command));
        }

        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (IEnumerable<string>)[.. command.Skip(1), "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        reaper?.Add(ReapEntry.Process(process.Id, $"the Toxiproxy child process on port {port}"));
        // It logs a line per proxy change; drained so a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProxyProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var client = new ToxiproxyClient(child.ApiUri);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
                return child;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await child.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            // Cleanup has its own deadline, never a caller's token that may already be cancelled.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
    }
}
