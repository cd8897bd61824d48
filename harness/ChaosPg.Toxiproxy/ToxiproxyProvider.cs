using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ChaosPg.Toxiproxy.Server;

namespace ChaosPg.Toxiproxy;

/// <summary>Chooses the Toxiproxy of a run: a given URL, else <c>toxiproxy-server</c> from PATH, else the embedded server.</summary>
public static class ToxiproxyProvider
{
    /// <summary>Acquires a Toxiproxy; the handle stops whatever this call started.</summary>
    /// <exception cref="ToxiproxyException">The given URL does not answer, or the started server never did.</exception>
    public static async Task<ToxiproxyHandle> AcquireAsync(ToxiproxyProviderOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ToxiproxyProviderOptions();
        if (options.Url is { } url)
        {
            var client = new ToxiproxyClient(url);
            try
            {
                var identity = await client.GetServerAsync(cancellationToken).ConfigureAwait(false);
                return new ToxiproxyHandle(client, ToxiproxyKind.External, identity);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or ToxiproxyException)
            {
                client.Dispose();
                throw new ToxiproxyException($"No Toxiproxy answers /version at {url}: {exception.Message}", exception);
            }
        }

        if (options.ServerExecutable is { } name && FindExecutable(name) is { } executable)
        {
            return await StartProcessAsync(executable, options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }

        var server = await ToxiproxyServer.StartAsync(new ToxiproxyServerOptions { Port = 0 }, cancellationToken).ConfigureAwait(false);
        return new ToxiproxyHandle(new ToxiproxyClient(server.ApiUri), ToxiproxyKind.Embedded, new ToxiproxyServerIdentity(server.Version, ToxiproxyServerIdentity.EmbeddedValue), server: server);
    }

    /// <summary>An absolute path if it exists, else the first match on PATH.</summary>
    internal static string? FindExecutable(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, name);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task<ToxiproxyHandle> StartProcessAsync(string executable, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-host", "127.0.0.1", "-port", port.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new ToxiproxyException($"Could not start {executable}.");

        // Its JSON log lines are drained so that a full pipe never blocks it.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new ToxiproxyClient(new Uri($"http://127.0.0.1:{port}/"));
        var deadline = DateTime.UtcNow + startTimeout;
        while (true)
        {
            try
            {
                var identity = await client.GetServerAsync(cancellationToken).ConfigureAwait(false);
                return new ToxiproxyHandle(client, ToxiproxyKind.ToxiproxyServer, identity, process: process);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                client.Dispose();
                var exited = process.HasExited ? $" (it exited with code {process.ExitCode})" : string.Empty;
                await ToxiproxyHandle.StopProcessAsync(process).ConfigureAwait(false);
                throw new ToxiproxyException($"{executable} did not answer /version on port {port} within {startTimeout.TotalSeconds:0} s{exited}.", exception);
            }
        }
    }
}
