using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;

namespace ChaosPg.Toxiproxy.Server;

/// <summary>One proxy of the embedded server: its configuration, listener, toxics and live connections.</summary>
internal sealed class ProxyInstance
{
    private readonly Lock _sync = new();
    private readonly SocketRelay? _relay;
    private readonly HashSet<ProxyConnection> _connections = [];
    private ImmutableList<ToxicDefinition> _upstreamToxics = [];
    private ImmutableList<ToxicDefinition> _downstreamToxics = [];
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _generation;

    public ProxyInstance(string name, string listen, string upstream, SocketRelay? relay)
    {
        _relay = relay;
        Name = name;
        Listen = listen;
        Upstream = upstream;
    }

    public string Name { get; }

    /// <summary>The listen address as sent, replaced by the bound address once started.</summary>
    public string Listen { get; private set; }

    public string Upstream { get; private set; }

    public bool Enabled { get; private set; }

    /// <summary>The bound address, or null if the proxy has never started.</summary>
    public IPEndPoint? BoundEndPoint { get; private set; }

    /// <summary>Upstream toxics first, then downstream toxics, each in the order added.</summary>
    public ImmutableArray<ToxicDefinition> Toxics
    {
        get
        {
            lock (_sync)
            {
                return [.. _upstreamToxics, .. _downstreamToxics];
            }
        }
    }

    public ToxicDefinition? FindToxic(string name) => Toxics.FirstOrDefault(toxic => toxic.Name == name);

    /// <summary>True when a listen string resolves to where this proxy is (or would be) bound.</summary>
    public async Task<bool> ListensOnAsync(string listen, CancellationToken cancellationToken)
    {
        IPEndPoint requested;
        try
        {
            requested = await NetworkAddress.ResolveListenAsync(listen, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException)
        {
            return false;
        }

        var current = BoundEndPoint ?? await NetworkAddress.ResolveListenAsync(Listen, cancellationToken).ConfigureAwait(false);
        return requested.Port != 0 && requested.Equals(current);
    }

    /// <summary>Binds the listen address and starts accepting; a bind failure is a 500 with Go's error text.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            return;
        }

        var endPoint = BoundEndPoint ?? await NetworkAddress.ResolveListenAsync(Listen, cancellationToken).ConfigureAwait(false);
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endPoint);
            listener.Listen(512);
        }
        catch (SocketException exception)
        {
            listener.Dispose();
            var reason = exception.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? "bind: address already in use"
                : exception.Message;
            throw new ApiException(500, $"listen tcp {endPoint}: {reason}");
        }

        var bound = (IPEndPoint)listener.LocalEndPoint!;
        int generation;
        lock (_sync)
        {
            generation = ++_generation;
            _listener = listener;
            BoundEndPoint = bound;
            Listen = bound.ToString();
            Enabled = true;
        }

        _acceptLoop = AcceptLoopAsync(listener, generation);
    }

    /// <summary>Closes the listener and every live connection; toxics and configuration are kept.</summary>
    public async Task StopAsync()
    {
        Socket? listener;
        ProxyConnection[] connections;
        lock (_sync)
        {
            listener = _listener;
            _listener = null;
            _generation++;
            Enabled = false;
            connections = [.. _connections];
        }

        listener?.Dispose();
        foreach (var connection in connections)
        {
            connection.Close();
        }

        await _acceptLoop.ConfigureAwait(false);
    }

    /// <summary>Changes listen and upstream (the caller stops and restarts the proxy around this).</summary>
    public void Reconfigure(string listen, string upstream)
    {
        if (listen != Listen)
        {
            Listen = listen;
            BoundEndPoint = null;
        }

        Upstream = upstream;
    }

    public void AddToxic(ToxicDefinition toxic)
    {
        lock (_sync)
        {
            if (toxic.Direction == ToxicDirection.Upstream)
            {
                _upstreamToxics = _upstreamToxics.Add(toxic);
            }
            else
            {
                _downstreamToxics = _downstreamToxics.Add(toxic);
            }

            foreach (var connection in _connections)
            {
                connection.LinkFor(toxic.Direction).AddStage(toxic);
            }
        }
    }

    public void UpdateToxic(ToxicDefinition toxic)
    {
        lock (_sync)
        {
            _upstreamToxics = _upstreamToxics.Select(t => t.Name == toxic.Name ? toxic : t).ToImmutableList();
            _downstreamToxics = _downstreamToxics.Select(t => t.Name == toxic.Name ? toxic : t).ToImmutableList();
            foreach (var connection in _connections)
            {
                connection.LinkFor(toxic.Direction).UpdateStage(toxic);
            }
        }
    }

    public void RemoveToxic(ToxicDefinition toxic)
    {
        ProxyConnection[] connections;
        lock (_sync)
        {
            _upstreamToxics = _upstreamToxics.RemoveAll(t => t.Name == toxic.Name);
            _downstreamToxics = _downstreamToxics.RemoveAll(t => t.Name == toxic.Name);
            connections = [.. _connections];
        }

        // Outside the lock: removing a timeout toxic closes connections, which unregister themselves.
        foreach (var connection in connections)
        {
            connection.LinkFor(toxic.Direction).RemoveStage(toxic.Name);
        }
    }

    public void RemoveAllToxics()
    {
        foreach (var toxic in Toxics)
        {
            RemoveToxic(toxic);
        }
    }

    public void Forget(ProxyConnection connection)
    {
        lock (_sync)
        {
            _connections.Remove(connection);
        }
    }

    private async Task AcceptLoopAsync(Socket listener, int generation)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client, generation);
        }
    }

    private async Task ServeAsync(Socket client, int generation)
    {
        client.NoDelay = true;
        Socket upstream;
        try
        {
            if (!NetworkAddress.TrySplit(Upstream, out var host, out var port))
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            if (_relay is not { IsAvailable: true })
            {
                upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await upstream.ConnectAsync(host, port).ConfigureAwait(false);
                }
                catch
                {
                    upstream.Dispose();
                    throw;
                }
            }
            else
            {
                upstream = await _relay.ConnectAsync(host, port).ConfigureAwait(false);
            }
        }
        catch (SocketException)
        {
            // Toxiproxy closes the client when the upstream cannot be reached.
            client.Dispose();
            return;
        }

        ProxyConnection connection;
        lock (_sync)
        {
            if (generation != _generation)
            {
                upstream.Dispose();
                client.Dispose();
                return;
            }

            connection = new ProxyConnection(this, client, upstream, _upstreamToxics, _downstreamToxics, _relay);
            _connections.Add(connection);
            connection.StartStages();
        }

        connection.Run();
    }
}
