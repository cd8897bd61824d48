using System.Diagnostics;
using ChaosPg.Toxiproxy.Server;

namespace ChaosPg.Toxiproxy;

/// <summary>The Toxiproxy a run uses: its client, what kind it is, its version; disposing stops what was started.</summary>
public sealed class ToxiproxyHandle : IAsyncDisposable
{
    private readonly ToxiproxyServer? _server;
    private readonly Process? _process;
    private int _disposed;

    internal ToxiproxyHandle(ToxiproxyClient client, ToxiproxyKind kind, ToxiproxyServerIdentity identity, ToxiproxyServer? server = null, Process? process = null)
    {
        Client = client;
        Kind = kind;
        Identity = identity;
        _server = server;
        _process = process;
    }

    public ToxiproxyClient Client { get; }

    public ToxiproxyKind Kind { get; }

    /// <summary>The kind as recorded in run metadata: <c>external</c>, <c>toxiproxy-server</c> or <c>embedded</c>.</summary>
    public string KindName => Kind switch
    {
        ToxiproxyKind.External => "external",
        ToxiproxyKind.ToxiproxyServer => "toxiproxy-server",
        _ => "embedded",
    };

    /// <summary>The version the server reported on /version, and whether it is ChaosPg's embedded server.</summary>
    public ToxiproxyServerIdentity Identity { get; }

    /// <summary>The version the server reported on /version.</summary>
    public string Version => Identity.Version;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Client.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        if (_process is not null)
        {
            await StopProcessAsync(_process).ConfigureAwait(false);
        }
    }

    internal static async Task StopProcessAsync(Process process)
    {
        using (process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            // Cleanup uses its own timeout, never a caller's token that may already be cancelled.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
    }
}
